import { createHash } from 'node:crypto';
import type { Patient } from '@medplum/fhirtypes';
import type { AccountConfig } from '../config.js';
import type { Account, Dataset } from '../data/index.js';

/** The logins of the realm: the dataset's accounts plus those of the config file. */
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

export class AccountDirectory {
  readonly #dataset: Dataset;
  readonly #byLogin = new Map<string, Account>();
  readonly #byUserId = new Map<string, Account>();
  readonly accounts: readonly Account[];

  constructor(dataset: Dataset, extra: readonly AccountConfig[]) {
    this.#dataset = dataset;
    this.accounts = [...dataset.accounts, ...extra.map(fromConfig)];
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
}

function fromConfig(account: AccountConfig): Account {
  return {
    username: account.username,
    password: account.password,
    userId: uuidFrom(`account:${account.username.toLowerCase()}`),
    personId: account.personId,
    patientId: account.patientId,
    dependents: account.dependents ?? [],
    givenName: account.givenName ?? account.username,
    familyName: account.familyName ?? '',
    email: account.email ?? `${account.username.toLowerCase()}@example.com`,
  };
}

/** A stable name-based UUID, so a config account keeps its `sub` across restarts. */
function uuidFrom(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
