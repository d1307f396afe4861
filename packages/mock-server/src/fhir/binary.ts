import type { Binary } from '@medplum/fhirtypes';
import { resourceAccess } from '@patient-access/auth-core';
import type { AccessGrant } from '../access.js';
import { boundToPatient, scopeLevel } from './authorization.js';
import { AccessDeniedError, notFound, OperationOutcomeError } from './outcomes.js';
import type { FhirStore, StoredResource } from './store.js';

/**
 * `GET Binary/{id}`: the content of one of the patient's documents. The grant must allow reading
 * Binary or DocumentReference (the documents' attachments point here), and only Binary resources
 * of the token's own record are found.
 * @see https://hl7.org/fhir/R4/binary.html#rest
 */
export function readBinary(store: FhirStore, grant: AccessGrant, id: string): StoredResource {
  const level = scopeLevel(grant);
  const allowed =
    resourceAccess(grant.scopes, 'Binary', 'read', level).allowed ||
    resourceAccess(grant.scopes, 'DocumentReference', 'read', level).allowed;
  if (!allowed) {
    throw new AccessDeniedError('scope', 'the granted scopes do not allow read on Binary');
  }
  const patient = boundToPatient(grant, store.ownerOf(`Binary/${id}`)).patient;
  const stored = store.record(patient)?.get(`Binary/${id}`);
  if (!stored) throw new OperationOutcomeError(notFound(`Binary/${id}`));
  return stored;
}

const FHIR_JSON = /application\/(fhir\+)?json/i;

/**
 * Whether to answer the Binary resource as FHIR JSON rather than its raw content. As HAPI does:
 * FHIR JSON when asked by `_format=json` or an `Accept` naming JSON, or when no `Accept` is sent;
 * the raw bytes with their `contentType` for any other `Accept` (a browser's, `*\/*`, the type itself).
 * @see https://hl7.org/fhir/R4/binary.html#rest
 */
export function wantsFhirJson(accept: string | undefined, format: string | undefined): boolean {
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
