import type { Encounter, Patient } from '@medplum/fhirtypes';
import type { Account, Dataset } from '../data/index.js';

/**
 * The OpenID Connect standard claims of an account, as Keycloak's profile and email scopes put
 * them in ID tokens and userinfo answers alike.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#StandardClaims
 */
export function profileClaims(account: Account) {
  return {
    name: `${account.givenName} ${account.familyName}`.trim(),
    given_name: account.givenName,
    family_name: account.familyName,
    preferred_username: account.username.toLowerCase(),
    email: account.email,
    email_verified: false,
  };
}

/** One visit a launch or the selection screen can name as the `encounter` context. */
export interface EncounterChoice {
  id: string;
  /** "2024-03-05 Office visit". */
  label: string;
  /** `period.start`, for ordering. */
  start: string;
}

/** The patients an account may select on the selection screen: its own record, then its dependents'. */
export function selectablePatients(account: Account): string[] {
  return [account.patientId, ...account.dependents];
}

/** The logins of the realm: the dataset's accounts, those of the config file included. */
export class AccountDirectory {
  readonly #dataset: Dataset;
  readonly #byLogin = new Map<string, Account>();
  readonly #byUserId = new Map<string, Account>();
  readonly accounts: readonly Account[];

  constructor(dataset: Dataset) {
    this.#dataset = dataset;
    this.accounts = dataset.accounts;
    for (const account of this.accounts) {
      this.#byLogin.set(account.username.toLowerCase(), account);
      this.#byLogin.set(account.email.toLowerCase(), account);
      this.#byUserId.set(account.userId, account);
    }
  }

  /** Keycloak matches usernames and e-mail addresses case-insensitively. */
  byLogin(login: string): Account | undefined {
    return this.#byLogin.get(login.toLowerCase());
  }

  byUserId(userId: string): Account | undefined {
    return this.#byUserId.get(userId);
  }

  /** The patient's display name from its record ("Smith, David"), or its id. */
  patientName(patientId: string): string {
    const patient = this.#dataset
      .record(patientId)
      ?.find((resource): resource is Patient => resource.resourceType === 'Patient');
    const name = patient?.name?.[0];
    if (!name) return patientId;
    if (name.text) return name.text;
    const given = (name.given ?? []).join(' ');
    return [name.family, given].filter(Boolean).join(', ') || patientId;
  }

  /** Whether the dataset has a record for `patientId`. */
  hasPatient(patientId: string): boolean {
    return this.#dataset.record(patientId) !== undefined;
  }

  /** The patient's encounters, most recent first. */
  encounters(patientId: string): EncounterChoice[] {
    return (this.#dataset.record(patientId) ?? [])
      .filter((resource): resource is Encounter => resource.resourceType === 'Encounter')
      .map((encounter) => {
        const start = encounter.period?.start ?? '';
        const type = encounter.type?.[0]?.text ?? encounter.type?.[0]?.coding?.[0]?.display;
        return {
          id: encounter.id ?? '',
          label: [start.slice(0, 10), type ?? 'Encounter'].filter(Boolean).join(' '),
          start,
        };
      })
      .sort((a, b) => (a.start < b.start ? 1 : a.start > b.start ? -1 : 0));
  }
}
