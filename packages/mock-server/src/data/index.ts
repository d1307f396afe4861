import { readFileSync } from 'node:fs';
import type { Patient, Resource } from '@medplum/fhirtypes';
import { DOCUMENTED_ACCOUNTS, PRACTICE_ID } from './accounts.js';
import type { Dataset, DatasetOptions } from './types.js';

export type { Account, Dataset, DatasetOptions } from './types.js';
export { DOCUMENTED_ACCOUNTS, PRACTICE_ID } from './accounts.js';

// Interim dataset (accounts, the guide's Patient and the practice) until the US Core generator
// lands; its signature is the contract the identity and FHIR sides build on.
export function generateDataset(_options: Partial<DatasetOptions> = {}): Dataset {
  const david = JSON.parse(
    readFileSync(new URL('../../spec/patient-428946492.json', import.meta.url), 'utf8'),
  ) as Patient;
  const records = new Map<string, Resource[]>([[david.id ?? '', [david]]]);
  return {
    practiceId: PRACTICE_ID,
    accounts: DOCUMENTED_ACCOUNTS,
    patientIds: DOCUMENTED_ACCOUNTS.map((account) => account.patientId),
    shared: [{ resourceType: 'Organization', id: PRACTICE_ID, name: 'Smith Family Practice' }],
    record: (patientId) => records.get(patientId),
  };
}
