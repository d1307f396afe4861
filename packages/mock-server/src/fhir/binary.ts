import type { Binary } from '@medplum/fhirtypes';
import { resourceAccess } from '@patient-access/auth-core';
import type { AccessGrant } from '../access.js';
import { boundToPatient, scopeLevel } from './authorization.js';
import { requestedEncoding } from './format.js';
import { AccessDeniedError, notFound, OperationOutcomeError } from './outcomes.js';
import type { FhirStore, StoredResource } from './store.js';

/**
 * `GET Binary/{id}`: the content of one of the documents the token reaches. The grant must allow
 * reading Binary or DocumentReference (the documents' attachments point here), and only Binary
 * resources of the reachable records are found.
 * @see https://hl7.org/fhir/R4/binary.html#rest
 */
export function readBinary(store: FhirStore, grant: AccessGrant, id: string): StoredResource {
  const key = `Binary/${id}`;
  // Binary has no search parameters, and so no definition: only the scopes' contexts count. A
  // service's grant reads the record that holds the Binary.
  grant = boundToPatient(grant, store.ownerOf(key));
  const level = scopeLevel(grant);
  const patients = new Set<string>();
  for (const type of ['Binary', 'DocumentReference']) {
    if (resourceAccess(grant.scopes, type, 'read', level).allowed) patients.add(grant.patient);
    if (resourceAccess(grant.scopes, type, 'read', 'user').allowed) {
      for (const patient of grant.userPatients ?? []) patients.add(patient);
    }
  }
  if (patients.size === 0) {
    throw new AccessDeniedError('scope', 'the granted scopes do not allow read on Binary');
  }
  for (const patient of patients) {
    const stored = store.record(patient)?.get(key);
    if (stored) return stored;
  }
  throw new OperationOutcomeError(notFound(key));
}

const FHIR_JSON = /application\/(fhir\+)?json/i;

/**
 * Whether to answer the Binary resource as a FHIR resource rather than its raw content. As HAPI
 * does: FHIR when asked by `_format=json`/`xml` or an `Accept` naming JSON or FHIR XML, or when no
 * `Accept` is sent; the raw bytes with their `contentType` for any other `Accept` (a browser's,
 * `*\/*`, the type itself). The plugin writes the resource as FHIR XML when XML was asked for.
 * @see https://hl7.org/fhir/R4/binary.html#rest
 */
export function wantsFhirResource(accept: string | undefined, format: string | undefined): boolean {
  if (requestedEncoding(format === undefined ? [] : [format], accept, true) === 'xml') return true;
  if (format !== undefined) return /json/i.test(format);
  if (accept === undefined || accept === '') return true;
  return FHIR_JSON.test(accept);
}

/** The raw content of a Binary: its bytes and media type. */
export function binaryContent(binary: Binary): { contentType: string; body: Buffer } {
  return {
    contentType: binary.contentType || 'application/octet-stream',
    body: Buffer.from(binary.data ?? '', 'base64'),
  };
}
