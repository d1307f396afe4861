import type {
  Encounter,
  Immunization,
  MedicationAdministration,
  MedicationDispense,
  MedicationRequest,
  Quantity,
} from '@medplum/fhirtypes';
import { US_CORE_PROFILES } from '../profiles.js';
import { addDays, daysAgo, fhirDateTime } from '../reference-date.js';
import { medicationId } from '../shared/medications.js';
import { PHARMACY_ID } from '../shared/payers.js';
import { STAFF, staffDisplay, type StaffKey } from '../shared/practice.js';
import { VACCINES } from '../terminology/immunizations.js';
import {
  type DosageTemplate,
  MEDICATIONS,
  type MedicationKey,
} from '../terminology/medications.js';
import { code, SYSTEMS } from '../terminology/systems.js';
import type { RecordBuilder } from './builder.js';

const UCUM = SYSTEMS.ucum;
const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const days = (value: number): Quantity => ({ value, unit: 'days', system: UCUM, code: 'd' });

// What one fill holds: counted units for tablets and capsules (the dose times the doses of the
// supply), the package otherwise, since an inhaler, a tube or a bottle is not split.
const PACKAGES: Partial<Record<MedicationKey, Quantity>> = {
  albuterolInhaler: { value: 1, unit: 'inhaler', system: UCUM, code: '{inhaler}' },
  fluticasoneInhaler: { value: 1, unit: 'inhaler', system: UCUM, code: '{inhaler}' },
  amoxicillinSuspension: { value: 100, unit: 'mL', system: UCUM, code: 'mL' },
  hydrocortisoneCream: { value: 28, unit: 'g', system: UCUM, code: 'g' },
};

function fillQuantity(key: MedicationKey, supplyDays: number): Quantity {
  const packaged = PACKAGES[key];
  if (packaged) return packaged;
  const dosage: DosageTemplate = MEDICATIONS[key].dosage;
  const periodDays = { h: 1 / 24, d: 1, wk: 7 }[dosage.periodUnit] * dosage.period;
  const perDay = dosage.frequency / periodDays;
  // The azithromycin "Z-pak" is 6 tablets: 2 on day one, then one a day.
  const extra = key === 'azithromycin250' ? 1 : 0;
  return {
    value: Math.ceil(dosage.dose.value * perDay * supplyDays) + extra,
    unit: dosage.dose.unit,
    system: UCUM,
    code: dosage.dose.code,
  };
}

/**
 * The pharmacy's fills of a prescription (base R4 MedicationDispense: US Core 3.1.1 has no
 * profile): the first fill the day it was written, then one refill per supply period, as many as
 * `dispenseRequest.numberOfRepeatsAllowed` allows and never after the reference date.
 */
export function addDispenses(
  builder: RecordBuilder,
  key: MedicationKey,
  request: MedicationRequest,
  author: StaffKey,
): MedicationDispense[] {
  const supplyDays = request.dispenseRequest?.expectedSupplyDuration?.value ?? 30;
  const fills = 1 + (request.dispenseRequest?.numberOfRepeatsAllowed ?? 0);
  const written = new Date(request.authoredOn ?? '');
  const today = daysAgo(0);
  const dispenses: MedicationDispense[] = [];
  for (let fill = 0; fill < fills; fill += 1) {
    const prepared = addDays(written, fill * supplyDays + 2 / 24);
    const handedOver = addDays(prepared, 3 / 24);
    if (handedOver > today) break;
    dispenses.push(
      builder.add<MedicationDispense>(
        {
          resourceType: 'MedicationDispense',
          status: 'completed',
          medicationReference: {
            reference: `Medication/${medicationId(key)}`,
            display: MEDICATIONS[key].rxnorm.display,
          },
          subject: builder.subject,
          performer: [{ actor: { reference: `Organization/${PHARMACY_ID}` } }],
          authorizingPrescription: [{ reference: `MedicationRequest/${request.id}` }],
          type: {
            coding: [
              fill === 0
                ? { system: ACT_CODE, code: 'FF', display: 'First Fill' }
                : { system: ACT_CODE, code: 'RF', display: 'Refill' },
            ],
          },
          quantity: fillQuantity(key, supplyDays),
          daysSupply: days(supplyDays),
          whenPrepared: fhirDateTime(prepared),
          whenHandedOver: fhirDateTime(handedOver),
          dosageInstruction: [{ sequence: 1, text: MEDICATIONS[key].dosage.text }],
        },
        { recorded: handedOver, author },
      ),
    );
  }
  return dispenses;
}

const INTRAMUSCULAR = code('snomed', '78421000', 'Intramuscular route (qualifier value)');
const LEFT_DELTOID = code('snomed', '368208006', 'Left upper arm structure (body structure)');

/**
 * A flu shot given in the office: the in-office order (a US Core MedicationRequest for the
 * vaccine, category outpatient) and its MedicationAdministration (base R4), beside the
 * Immunization that records the same dose.
 */
export function addFluShotAdministration(
  builder: RecordBuilder,
  immunization: Immunization,
  encounter: Encounter,
  author: StaffKey,
): MedicationAdministration {
  const given = new Date(immunization.occurrenceDateTime ?? '');
  const vaccine = { coding: [VACCINES.influenza], text: 'Influenza vaccine, 0.5 mL' };
  const dose: Quantity = { value: 0.5, unit: 'mL', system: UCUM, code: 'mL' };
  const request = builder.add<MedicationRequest>(
    {
      resourceType: 'MedicationRequest',
      status: 'completed',
      intent: 'order',
      category: [
        {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/medicationrequest-category',
              code: 'outpatient',
              display: 'Outpatient',
            },
          ],
        },
      ],
      reportedBoolean: false,
      medicationCodeableConcept: vaccine,
      subject: builder.subject,
      encounter: { reference: `Encounter/${encounter.id}` },
      authoredOn: encounter.period?.start ?? fhirDateTime(given),
      requester: { reference: `Practitioner/${STAFF[author].id}`, display: staffDisplay(author) },
      dosageInstruction: [
        {
          sequence: 1,
          text: 'Inject 0.5 mL intramuscularly once, in the office',
          timing: { repeat: { count: 1 } },
          route: { coding: [INTRAMUSCULAR] },
          doseAndRate: [{ doseQuantity: dose }],
        },
      ],
    },
    { profiles: [US_CORE_PROFILES.medicationRequest], recorded: given, author },
  );
  return builder.add<MedicationAdministration>(
    {
      resourceType: 'MedicationAdministration',
      status: 'completed',
      medicationCodeableConcept: vaccine,
      subject: builder.subject,
      context: { reference: `Encounter/${encounter.id}` },
      effectiveDateTime: immunization.occurrenceDateTime ?? fhirDateTime(given),
      performer: [
        { actor: { reference: `Practitioner/${STAFF[author].id}`, display: staffDisplay(author) } },
      ],
      request: { reference: `MedicationRequest/${request.id}` },
      dosage: {
        text: '0.5 mL intramuscularly in the left deltoid',
        site: { coding: [LEFT_DELTOID] },
        route: { coding: [INTRAMUSCULAR] },
        dose,
      },
    },
    { recorded: given, author },
  );
}
