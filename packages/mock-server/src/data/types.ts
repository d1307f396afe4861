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

/**
 * Everything the mock serves, generated deterministically from a seed. Patient records are
 * produced on first use, so thousands of synthetic patients cost nothing until someone reads them.
 */
export interface Dataset {
  /** The practice (`Organization/<id>`), also the token response's `practice_id`. */
  practiceId: string;
  /** Every login, the documented ones first. */
  accounts: readonly Account[];
  /** Every patient id, the documented ones first. */
  patientIds: readonly string[];
  /**
   * Resources outside any patient compartment: the practice, practitioners and their roles,
   * locations, medications, and each account's `Person`.
   */
  shared: readonly Resource[];
  /**
   * Every resource of one patient's record (the Patient itself, its clinical resources, their
   * Provenance and the Binary content of its documents), in a stable order; `undefined` for an
   * unknown id. The same seed and id give byte-identical resources, whatever the call order.
   */
  record(patientId: string): readonly Resource[] | undefined;
  /**
   * The patient whose record may hold the resource `id`, decided from the id alone (without
   * generating anything), or `undefined` when no record can. Lets the FHIR side refuse another
   * patient's data with 403 instead of pretending it does not exist.
   */
  ownerOf(id: string): string | undefined;
}

export interface DatasetOptions {
  /** faker seed: the same seed gives byte-identical data. */
  seed: number;
  /** Synthetic patients (each with an account) added after the three documented ones. */
  extraPatients: number;
  /** More accounts (the config file's), each for patients of the data; each gets its `Person`. */
  accounts: readonly Account[];
}
