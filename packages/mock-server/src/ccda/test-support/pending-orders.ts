import type { Patient, Resource, ServiceRequest } from '@medplum/fhirtypes';
import { generateDataset } from '../../data/index.js';
import { GUIDE_USERS } from '../../../../../test-support/guide.js';
import type { CcdaInput } from '../render.js';

const dataset = generateDataset({ seed: 1, extraPatients: 0 });
const record = dataset.record(GUIDE_USERS.david.patientId) ?? [];

/** David's generated record (seed 1), as the app serves it by default. */
export const davidsRecord = (): readonly Resource[] => record;
const orderCoded = (system: string) =>
  record.find(
    (resource): resource is ServiceRequest =>
      resource.resourceType === 'ServiceRequest' && resource.code?.coding?.[0]?.system === system,
  ) as ServiceRequest;

/**
 * David's record with three of its orders pending again (the generated records hold completed
 * orders only): a laboratory panel (LOINC), a surgery (CPT) and a diagnostic procedure (SNOMED).
 */
export function withPendingOrders(): CcdaInput {
  const pending = [
    orderCoded('http://loinc.org'),
    orderCoded('http://www.ama-assn.org/go/cpt'),
    orderCoded('http://snomed.info/sct'),
  ].map((order, index): ServiceRequest => ({
    ...order,
    id: `pending-${index + 1}`,
    status: 'active',
    priority: index === 1 ? 'urgent' : 'routine',
    authoredOn: '2025-12-01T09:00:00Z',
    occurrenceDateTime: '2026-02-01T09:00:00Z',
  }));
  return {
    patient: record.find((resource): resource is Patient => resource.resourceType === 'Patient')!,
    resources: [
      ...record.filter((resource) => !['Patient', 'Provenance'].includes(resource.resourceType)),
      ...pending,
    ] as Resource[],
    shared: dataset.shared,
    practiceId: dataset.practiceId,
    documentId: '6f1c1d0e-3b7a-4c1e-9b1a-2f0d3c4b5a69',
    createdAt: '2026-01-01T00:00:00Z',
  };
}
