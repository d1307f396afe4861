import type { Patient, Resource, ServiceRequest } from '@medplum/fhirtypes';
import { generateDataset } from '../../data/index.js';
import { GUIDE_USERS } from '../../../../../test-support/guide.js';
import type { Dataset } from '../../data/index.js';
import type { CcdaInput } from '../render.js';

/** The renderer's input for a patient of a dataset: the record as a full-access token reads it. */
export function ccdaInputOf(source: Dataset, patientId: string): CcdaInput {
  const resources = source.record(patientId) ?? [];
  return {
    patient: resources.find(
      (resource): resource is Patient => resource.resourceType === 'Patient',
    )!,
    resources: resources.filter(
      (resource) => !['Patient', 'Provenance'].includes(resource.resourceType),
    ),
    shared: source.shared,
    practiceId: source.practiceId,
    documentId: '6f1c1d0e-3b7a-4c1e-9b1a-2f0d3c4b5a69',
    createdAt: '2026-01-01T00:00:00Z',
  };
}

const dataset = generateDataset({ seed: 1, extraPatients: 0 });
const record = dataset.record(GUIDE_USERS.david.patientId) ?? [];

/** David's generated record, seed 1. */
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
  const input = ccdaInputOf(dataset, GUIDE_USERS.david.patientId);
  return { ...input, resources: [...input.resources, ...pending] as Resource[] };
}
