import { code, type Code } from './systems.js';

/**
 * Visit types (SNOMED CT procedures, within the extensible US Core 3.1.1 Encounter Type binding).
 * @see https://www.hl7.org/fhir/us/core/STU3.1.1/ValueSet-us-core-encounter-type.html
 */
export const ENCOUNTER_TYPES = {
  checkup: code('snomed', '185349003', 'Encounter for check up (procedure)'),
  wellChild: code('snomed', '410620009', 'Well child visit (procedure)'),
  symptom: code('snomed', '185345009', 'Encounter for symptom (procedure)'),
  followUp: code('snomed', '390906007', 'Follow-up encounter (procedure)'),
} as const satisfies Record<string, Code>;

/** Ambulatory class from HL7 v3 ActCode, as `Encounter.class` requires. */
export const AMBULATORY = {
  system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  code: 'AMB',
  display: 'ambulatory',
} as const;

/**
 * Procedures done in the office or referred out (SNOMED CT and CPT, both in the US Core 3.1.1
 * Procedure Codes value set).
 */
export const PROCEDURES = {
  medicationReconciliation: code('snomed', '430193006', 'Medication reconciliation (procedure)'),
  depressionScreening: code('snomed', '171207006', 'Depression screening (procedure)'),
  throatCulture: code('snomed', '117015009', 'Throat culture (procedure)'),
  spirometry: code('snomed', '127783003', 'Spirometry (procedure)'),
  electrocardiogram: code('snomed', '29303009', 'Electrocardiographic procedure (procedure)'),
  pacemakerInsertion: code(
    'cpt',
    '33208',
    'Insertion of new or replacement of permanent pacemaker with transvenous electrode(s); atrial and ventricular',
  ),
} as const satisfies Record<string, Code>;

/** A key of {@link PROCEDURES}. */
export type ProcedureKey = keyof typeof PROCEDURES;

/**
 * Clinical note types (LOINC document ontology, the required US Core 3.1.1 DocumentReference type
 * binding).
 * @see https://www.hl7.org/fhir/us/core/STU3.1.1/ValueSet-us-core-documentreference-type.html
 */
export const NOTE_TYPES = {
  progressNote: code('loinc', '11506-3', 'Progress note'),
  dischargeSummary: code('loinc', '18842-5', 'Discharge summary'),
  consultNote: code('loinc', '11488-4', 'Consult note'),
} as const satisfies Record<string, Code>;

/**
 * The implanted device of David's record: a dual-chamber pacemaker with a GS1 UDI.
 * @see https://www.fda.gov/medical-devices/unique-device-identification-system-udi-system/udi-basics
 */
export const PACEMAKER = {
  type: code('snomed', '14106009', 'Cardiac pacemaker, device (physical object)'),
  name: 'Dual chamber implantable pacemaker',
  manufacturer: 'Example Cardiac Rhythm Devices, Inc.',
  model: 'DR-2100',
} as const;
