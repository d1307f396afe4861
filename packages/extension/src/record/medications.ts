import type { Medication, MedicationRequest, Resource } from '@medplum/fhirtypes';
import { conceptText, dateText, referenceText } from './fhir-text.js';
import { itemCard, notes, statusText } from './item-card.js';
import { ofType, type RecordSource, type SectionSpec } from './section.js';

/**
 * Reads the Medications that requests point to (`Medication/<id>`), once each. A Medication the
 * server refuses leaves its request showing the reference's display instead, so one withheld
 * resource does not hide the whole list.
 */
export async function resolveMedications(
  source: RecordSource,
  requests: readonly MedicationUse[],
): Promise<Medication[]> {
  const ids = new Set<string>();
  for (const request of requests) {
    const match = /^Medication\/([^/]+)$/.exec(request.medicationReference?.reference ?? '');
    if (match?.[1]) ids.add(match[1]);
  }
  const settled = await Promise.allSettled(
    [...ids].map((id) => source.read('Medication', id) as Promise<Medication>),
  );
  return settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
}

/** What names a medication on a request, dispense or administration. */
export type MedicationUse = Pick<
  MedicationRequest,
  'medicationCodeableConcept' | 'medicationReference' | 'contained'
>;

/** The medication's name: inline concept, contained Medication, or a resolved one. */
export function medicationName(
  request: MedicationUse,
  medications: ReadonlyMap<string, Medication>,
) {
  if (request.medicationCodeableConcept) return conceptText(request.medicationCodeableConcept);
  const reference = request.medicationReference?.reference ?? '';
  const medication = reference.startsWith('#')
    ? (request.contained?.find((item) => `#${item.id}` === reference) as Medication | undefined)
    : medications.get(reference);
  return conceptText(medication?.code) ?? referenceText(request.medicationReference);
}

/** The resolved Medications among `resources`, by their `Medication/<id>` reference. */
export function medicationsById(resources: Resource[]): Map<string, Medication> {
  return new Map(
    ofType<Medication>(resources, 'Medication').map((item) => [`Medication/${item.id}`, item]),
  );
}

/** Prescriptions, with the Medication each one names. */
export const medicationSection: SectionSpec = {
  resourceType: 'MedicationRequest',
  title: 'Medications',
  alsoReads: ['Medication'],
  async load(source, patientId): Promise<Resource[]> {
    const requests = (await source.search('MedicationRequest', {
      patient: patientId,
    })) as MedicationRequest[];
    return [...requests, ...(await resolveMedications(source, requests))];
  },
  render(resources) {
    const medications = medicationsById(resources);
    return ofType<MedicationRequest>(resources, 'MedicationRequest').map((request) =>
      itemCard(
        'MedicationRequest',
        medicationName(request, medications),
        [
          [
            'How to take',
            request.dosageInstruction
              ?.map((dose) => dose.text)
              .filter(Boolean)
              .join('; '),
          ],
          ['Status', statusText(request.status)],
          ['Prescribed', dateText(request.authoredOn)],
          ['By', referenceText(request.requester)],
        ],
        notes(request.note),
      ),
    );
  },
};
