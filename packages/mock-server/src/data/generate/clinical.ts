import type {
  AllergyIntolerance,
  CodeableConcept,
  Condition,
  Device,
  Encounter,
  Immunization,
  MedicationRequest,
  Procedure,
  Reference,
} from '@medplum/fhirtypes';
import { PRACTICE_ID } from '../accounts.js';
import { US_CORE_PROFILES } from '../profiles.js';
import { addDays, fhirDate, fhirDateTime } from '../reference-date.js';
import { medicationId } from '../shared/medications.js';
import { CLINIC_LOCATION_ID, STAFF, staffDisplay, type StaffKey } from '../shared/practice.js';
import { ALLERGIES, type AllergyKey } from '../terminology/allergies.js';
import { CONDITIONS, type ConditionKey } from '../terminology/conditions.js';
import { AMBULATORY, PACEMAKER, PROCEDURES, type ProcedureKey } from '../terminology/encounters.js';
import { VACCINES, type VaccineKey } from '../terminology/immunizations.js';
import { MEDICATIONS, type MedicationKey } from '../terminology/medications.js';
import type { Code } from '../terminology/systems.js';
import type { RecordBuilder } from './builder.js';
import { addServiceRequest, addSpecimen, procedureOrderCategory } from './orders.js';

const concept = (coding: Code): CodeableConcept => ({ coding: [coding], text: coding.display });

function hl7(system: string, code: string, display?: string): CodeableConcept {
  return {
    coding: [
      {
        system: `http://terminology.hl7.org/CodeSystem/${system}`,
        code,
        ...(display ? { display } : {}),
      },
    ],
  };
}

/** A visit at the clinic with its practitioner, as US Core Encounter. */
export function addEncounter(
  builder: RecordBuilder,
  type: Code,
  start: Date,
  author: StaffKey,
  reason?: Reference<Condition>,
): Encounter {
  return builder.add<Encounter>(
    {
      resourceType: 'Encounter',
      identifier: [
        { system: `urn:oid:2.16.840.1.113883.3.${PRACTICE_ID}`, value: `V${builder.nextId()}` },
      ],
      status: 'finished',
      class: AMBULATORY,
      type: [concept(type)],
      subject: builder.subject,
      participant: [
        {
          type: [hl7('v3-ParticipationType', 'PPRF', 'primary performer')],
          individual: {
            reference: `Practitioner/${STAFF[author].id}`,
            display: staffDisplay(author),
          },
        },
      ],
      period: { start: fhirDateTime(start), end: fhirDateTime(addDays(start, 1 / 48)) },
      ...(reason ? { reasonReference: [reason] } : {}),
      location: [{ location: { reference: `Location/${CLINIC_LOCATION_ID}` } }],
      serviceProvider: { reference: `Organization/${PRACTICE_ID}` },
    },
    { profiles: [US_CORE_PROFILES.encounter], recorded: start, author },
  );
}

const HEALTH_CONCERN: CodeableConcept = {
  coding: [
    {
      system: 'http://hl7.org/fhir/us/core/CodeSystem/condition-category',
      code: 'health-concern',
      display: 'Health Concern',
    },
  ],
};

/**
 * A Condition: chronic ones are active problem-list items, acute ones resolved encounter
 * diagnoses, and `healthConcern` ones active health concerns (US Core 3.1.1 categories).
 */
export function addCondition(
  builder: RecordBuilder,
  key: ConditionKey,
  onset: Date,
  author: StaffKey,
  encounter?: Encounter,
  healthConcern = false,
): Condition {
  const { snomed, icd10, chronic } = CONDITIONS[key];
  const category = healthConcern
    ? HEALTH_CONCERN
    : chronic
      ? hl7('condition-category', 'problem-list-item', 'Problem List Item')
      : hl7('condition-category', 'encounter-diagnosis', 'Encounter Diagnosis');
  return builder.add<Condition>(
    {
      resourceType: 'Condition',
      clinicalStatus: hl7('condition-clinical', chronic ? 'active' : 'resolved'),
      verificationStatus: hl7('condition-ver-status', 'confirmed'),
      category: [category],
      code: {
        coding: [snomed, icd10],
        text: snomed.display.replace(/ \((disorder|finding)\)$/, ''),
      },
      subject: builder.subject,
      ...(encounter ? { encounter: { reference: `Encounter/${encounter.id}` } } : {}),
      onsetDateTime: fhirDateTime(onset),
      ...(chronic ? {} : { abatementDateTime: fhirDateTime(addDays(onset, 14)) }),
      recordedDate: fhirDateTime(onset),
      recorder: { reference: `Practitioner/${STAFF[author].id}` },
    },
    { profiles: [US_CORE_PROFILES.condition], recorded: onset, author },
  );
}

/** A confirmed allergy with its reaction, as US Core AllergyIntolerance. */
export function addAllergy(
  builder: RecordBuilder,
  key: AllergyKey,
  recorded: Date,
  author: StaffKey,
) {
  const allergy = ALLERGIES[key];
  return builder.add<AllergyIntolerance>(
    {
      resourceType: 'AllergyIntolerance',
      clinicalStatus: hl7('allergyintolerance-clinical', 'active', 'Active'),
      verificationStatus: hl7('allergyintolerance-verification', 'confirmed', 'Confirmed'),
      type: 'allergy',
      category: [allergy.category],
      criticality: allergy.criticality,
      code: concept(allergy.substance),
      patient: builder.subject,
      recordedDate: fhirDateTime(recorded),
      recorder: { reference: `Practitioner/${STAFF[author].id}` },
      reaction: [{ manifestation: [concept(allergy.manifestation)], severity: allergy.severity }],
    },
    { profiles: [US_CORE_PROFILES.allergyIntolerance], recorded, author },
  );
}

/** A prescription of a shared Medication with a structured dosage (US Core MedicationRequest). */
export function addMedicationRequest(
  builder: RecordBuilder,
  key: MedicationKey,
  authored: Date,
  author: StaffKey,
  reason: Condition,
  encounter?: Encounter,
): MedicationRequest {
  const medication = MEDICATIONS[key];
  const { dosage } = medication;
  const courseDays = 'courseDays' in medication ? medication.courseDays : undefined;
  return builder.add<MedicationRequest>(
    {
      resourceType: 'MedicationRequest',
      status: courseDays ? 'completed' : 'active',
      intent: 'order',
      category: [hl7('medicationrequest-category', 'community', 'Community')],
      reportedBoolean: false,
      medicationReference: {
        reference: `Medication/${medicationId(key)}`,
        display: medication.rxnorm.display,
      },
      subject: builder.subject,
      ...(encounter ? { encounter: { reference: `Encounter/${encounter.id}` } } : {}),
      authoredOn: fhirDateTime(authored),
      requester: { reference: `Practitioner/${STAFF[author].id}`, display: staffDisplay(author) },
      reasonReference: [{ reference: `Condition/${reason.id}` }],
      dosageInstruction: [
        {
          sequence: 1,
          text: dosage.text,
          timing: {
            repeat: {
              frequency: dosage.frequency,
              period: dosage.period,
              periodUnit: dosage.periodUnit,
              ...(courseDays
                ? {
                    boundsDuration: {
                      value: courseDays,
                      unit: 'days',
                      system: 'http://unitsofmeasure.org',
                      code: 'd',
                    },
                  }
                : {}),
            },
          },
          asNeededBoolean: dosage.asNeeded,
          route: concept(dosage.route),
          doseAndRate: [
            {
              type: hl7('dose-rate-type', 'ordered', 'Ordered'),
              doseQuantity: {
                value: dosage.dose.value,
                unit: dosage.dose.unit,
                system: 'http://unitsofmeasure.org',
                code: dosage.dose.code,
              },
            },
          ],
        },
      ],
      dispenseRequest: {
        numberOfRepeatsAllowed: courseDays ? 0 : 5,
        expectedSupplyDuration: {
          value: courseDays ?? 30,
          unit: 'days',
          system: 'http://unitsofmeasure.org',
          code: 'd',
        },
      },
    },
    { profiles: [US_CORE_PROFILES.medicationRequest], recorded: authored, author },
  );
}

/** A vaccine given at the clinic (US Core Immunization, CVX). */
export function addImmunization(
  builder: RecordBuilder,
  key: VaccineKey,
  given: Date,
  author: StaffKey,
) {
  return builder.add<Immunization>(
    {
      resourceType: 'Immunization',
      status: 'completed',
      vaccineCode: concept(VACCINES[key]),
      patient: builder.subject,
      occurrenceDateTime: fhirDateTime(given),
      primarySource: true,
      location: { reference: `Location/${CLINIC_LOCATION_ID}` },
      lotNumber: builder.faker.string.alphanumeric({ length: 7, casing: 'upper' }),
      performer: [{ actor: { reference: `Practitioner/${STAFF[author].id}` } }],
    },
    { profiles: [US_CORE_PROFILES.immunization], recorded: given, author },
  );
}

/** A completed procedure (US Core Procedure) based on its order, placed at the visit. */
export function addProcedure(
  builder: RecordBuilder,
  key: ProcedureKey,
  performed: Date,
  author: StaffKey,
  context: { encounter?: Encounter; reason?: Condition } = {},
): Procedure {
  const order =
    context.encounter &&
    addServiceRequest(
      builder,
      { code: PROCEDURES[key], category: procedureOrderCategory(key) },
      context.encounter,
      author,
      context.reason,
    );
  if (order && key === 'throatCulture')
    addSpecimen(builder, 'throatSwab', order, performed, author);
  return builder.add<Procedure>(
    {
      resourceType: 'Procedure',
      ...(order ? { basedOn: [{ reference: `ServiceRequest/${order.id}` }] } : {}),
      status: 'completed',
      code: concept(PROCEDURES[key]),
      subject: builder.subject,
      ...(context.encounter
        ? { encounter: { reference: `Encounter/${context.encounter.id}` } }
        : {}),
      performedDateTime: fhirDateTime(performed),
      performer: [{ actor: { reference: `Practitioner/${STAFF[author].id}` } }],
      ...(context.reason
        ? { reasonReference: [{ reference: `Condition/${context.reason.id}` }] }
        : {}),
    },
    { profiles: [US_CORE_PROFILES.procedure], recorded: performed, author },
  );
}

/** GS1 mod-10 check digit of a GTIN body. */
function gs1CheckDigit(body: string): number {
  const sum = body
    .split('')
    .reverse()
    .reduce((total, char, index) => total + Number(char) * (index % 2 === 0 ? 3 : 1), 0);
  return (10 - (sum % 10)) % 10;
}

/**
 * The implanted pacemaker, as US Core Implantable Device: a GS1 UDI whose human-readable form
 * carries the device identifier (01), expiry (17), lot (10) and serial (21).
 * @see https://www.hl7.org/fhir/us/core/STU3.1.1/StructureDefinition-us-core-implantable-device.html
 */
export function addPacemaker(builder: RecordBuilder, implanted: Date, author: StaffKey): Device {
  const { faker } = builder;
  const body = `0${faker.string.numeric(12)}`;
  const gtin = `${body}${gs1CheckDigit(body)}`;
  const lot = faker.string.alphanumeric({ length: 6, casing: 'upper' });
  const serial = faker.string.numeric(9);
  const manufactured = addDays(implanted, -120);
  const expires = addDays(manufactured, 730);
  const yymmdd = fhirDate(expires).slice(2).replaceAll('-', '');
  return builder.add<Device>(
    {
      resourceType: 'Device',
      udiCarrier: [
        {
          deviceIdentifier: gtin,
          issuer: 'http://hl7.org/fhir/NamingSystem/gs1-di',
          jurisdiction: 'http://hl7.org/fhir/NamingSystem/fda-udi',
          carrierHRF: `(01)${gtin}(17)${yymmdd}(10)${lot}(21)${serial}`,
          entryType: 'unknown',
        },
      ],
      status: 'active',
      distinctIdentifier: serial,
      manufacturer: PACEMAKER.manufacturer,
      manufactureDate: fhirDateTime(manufactured),
      expirationDate: fhirDateTime(expires),
      lotNumber: lot,
      serialNumber: serial,
      deviceName: [{ name: PACEMAKER.name, type: 'user-friendly-name' }],
      modelNumber: PACEMAKER.model,
      type: concept(PACEMAKER.type),
      patient: builder.subject,
    },
    { profiles: [US_CORE_PROFILES.implantableDevice], recorded: implanted, author },
  );
}
