import type { Resource } from '@medplum/fhirtypes';

/**
 * A patient-portal login. The account is a FHIR `Person` (`resource: "Person/<id>"` in the token
 * response); `patientId` is its own ("master") patient and `dependents` are the other patients
 * it may choose on the selection screen.
 */
export interface Account {
  username: string;
  password: string;
  /** Stable Keycloak-style user id (UUID), the tokens' `sub`. */
  userId: string;
  personId: string;
  patientId: string;
  dependents: string[];
  givenName: string;
  familyName: string;
  email: string;
}

/** Everything the mock serves, generated deterministically from a seed. */
export interface Dataset {
  /** Every FHIR resource, in a stable order. */
  resources: Resource[];
  accounts: Account[];
  /** The practice (`Organization/<id>`), also the token response's `practice_id`. */
  practiceId: string;
}

export interface DatasetOptions {
  /** faker seed: the same seed gives byte-identical data. */
  seed: number;
  /** Synthetic patients added after the three documented ones. */
  extraPatients: number;
}
