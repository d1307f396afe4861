import type {
  MedicationAdministration,
  MedicationDispense,
  MedicationRequest,
  Reference,
  Resource,
} from '@medplum/fhirtypes';
import { h } from './dom.js';
import { dateText, quantityText, referenceText } from './fhir-text.js';
import { itemCard, notes, statusText } from './item-card.js';
import { medicationName, medicationsById, resolveMedications } from './medications.js';
import { ofType, type RecordSource, type SectionSpec } from './section.js';

/**
 * Loads `resourceType` for the patient with every prescription (MedicationRequest) of the patient
 * and the Medications both name, so each entry can show the prescription it fills.
 */
async function loadWithPrescriptions(
  source: RecordSource,
  patientId: string,
  resourceType: 'MedicationDispense' | 'MedicationAdministration',
): Promise<Resource[]> {
  const [uses, requests] = await Promise.all([
    source.search(resourceType, { patient: patientId }) as Promise<
      (MedicationDispense | MedicationAdministration)[]
    >,
    source.search('MedicationRequest', { patient: patientId }) as Promise<MedicationRequest[]>,
  ]);
  return [...uses, ...requests, ...(await resolveMedications(source, [...uses, ...requests]))];
}

/** The prescriptions behind an entry, as one line each: medicine, directions, date, prescriber. */
function prescriptions(
  resources: Resource[],
  references: readonly Reference[],
): HTMLElement | null {
  if (references.length === 0) return null;
  const medications = medicationsById(resources);
  const requests = new Map(
    ofType<MedicationRequest>(resources, 'MedicationRequest').map((item) => [
      `MedicationRequest/${item.id}`,
      item,
    ]),
  );
  return h(
    'div',
    { class: 'prescriptions' },
    h('p', { class: 'item-subtitle' }, references.length > 1 ? 'Prescriptions' : 'Prescription'),
    h(
      'ul',
      { class: 'item-list' },
      ...references.map((reference) => {
        const request = requests.get(reference.reference ?? '');
        if (!request) return h('li', {}, referenceText(reference) ?? 'A prescription not shared');
        return h(
          'li',
          { 'data-testid': 'prescription' },
          [
            medicationName(request, medications),
            request.dosageInstruction?.[0]?.text,
            request.authoredOn ? `prescribed ${dateText(request.authoredOn)}` : undefined,
            referenceText(request.requester) ? `by ${referenceText(request.requester)}` : undefined,
          ]
            .filter(Boolean)
            .join(' — '),
        );
      }),
    ),
  );
}

/** Medicines handed over by a pharmacy, each with the prescription it filled. */
export const dispenseSection: SectionSpec = {
  resourceType: 'MedicationDispense',
  title: 'Dispensed medications',
  alsoReads: ['MedicationRequest', 'Medication'],
  load: (source, patientId) => loadWithPrescriptions(source, patientId, 'MedicationDispense'),
  render(resources) {
    const medications = medicationsById(resources);
    return ofType<MedicationDispense>(resources, 'MedicationDispense').map((dispense) =>
      itemCard(
        'MedicationDispense',
        medicationName(dispense, medications),
        [
          ['Handed over', dateText(dispense.whenHandedOver ?? dispense.whenPrepared)],
          ['Quantity', quantityText(dispense.quantity)],
          ['Days’ supply', quantityText(dispense.daysSupply)],
          ['Fill', dispense.type?.coding?.[0]?.display ?? dispense.type?.text],
          ['Status', statusText(dispense.status)],
          [
            'How to take',
            dispense.dosageInstruction
              ?.map((dose) => dose.text)
              .filter(Boolean)
              .join('; '),
          ],
        ],
        prescriptions(resources, dispense.authorizingPrescription ?? []),
        notes(dispense.note),
      ),
    );
  },
};

/** Medicines given to the patient by a clinician, each with the order it carried out. */
export const administrationSection: SectionSpec = {
  resourceType: 'MedicationAdministration',
  title: 'Administered medications',
  alsoReads: ['MedicationRequest', 'Medication'],
  load: (source, patientId) => loadWithPrescriptions(source, patientId, 'MedicationAdministration'),
  render(resources) {
    const medications = medicationsById(resources);
    return ofType<MedicationAdministration>(resources, 'MedicationAdministration').map((given) =>
      itemCard(
        'MedicationAdministration',
        medicationName(given, medications),
        [
          ['Given', dateText(given.effectiveDateTime ?? given.effectivePeriod?.start)],
          ['Dose', quantityText(given.dosage?.dose) ?? given.dosage?.text],
          ['Route', given.dosage?.route?.text ?? given.dosage?.route?.coding?.[0]?.display],
          ['Status', statusText(given.status)],
          ['By', referenceText(given.performer?.[0]?.actor)],
        ],
        prescriptions(resources, given.request ? [given.request] : []),
        notes(given.note),
      ),
    );
  },
};
