import { code, type Code } from './systems.js';

/** A vital sign: its LOINC code, UCUM unit and the FHIR R4 vital-signs profile US Core 3.1.1 uses. */
export interface VitalSignCode {
  loinc: Code;
  unit: string;
  ucum: string;
  profile: string;
}

const R4 = 'http://hl7.org/fhir/StructureDefinition';

/**
 * Vital signs as the FHIR R4 vital-signs profiles fix them (US Core 3.1.1 reuses them and adds
 * pulse oximetry).
 * @see https://hl7.org/fhir/R4/observation-vitalsigns.html
 */
export const VITAL_SIGNS = {
  bloodPressure: {
    loinc: code('loinc', '85354-9', 'Blood pressure panel with all children optional'),
    unit: 'mm[Hg]',
    ucum: 'mm[Hg]',
    profile: `${R4}/bp`,
  },
  systolic: {
    loinc: code('loinc', '8480-6', 'Systolic blood pressure'),
    unit: 'mm[Hg]',
    ucum: 'mm[Hg]',
    profile: `${R4}/bp`,
  },
  diastolic: {
    loinc: code('loinc', '8462-4', 'Diastolic blood pressure'),
    unit: 'mm[Hg]',
    ucum: 'mm[Hg]',
    profile: `${R4}/bp`,
  },
  heartRate: {
    loinc: code('loinc', '8867-4', 'Heart rate'),
    unit: 'beats/minute',
    ucum: '/min',
    profile: `${R4}/heartrate`,
  },
  respiratoryRate: {
    loinc: code('loinc', '9279-1', 'Respiratory rate'),
    unit: 'breaths/minute',
    ucum: '/min',
    profile: `${R4}/resprate`,
  },
  bodyTemperature: {
    loinc: code('loinc', '8310-5', 'Body temperature'),
    unit: 'Cel',
    ucum: 'Cel',
    profile: `${R4}/bodytemp`,
  },
  bodyHeight: {
    loinc: code('loinc', '8302-2', 'Body height'),
    unit: 'cm',
    ucum: 'cm',
    profile: `${R4}/bodyheight`,
  },
  bodyWeight: {
    loinc: code('loinc', '29463-7', 'Body weight'),
    unit: 'kg',
    ucum: 'kg',
    profile: `${R4}/bodyweight`,
  },
  bmi: {
    loinc: code('loinc', '39156-5', 'Body mass index (BMI) [Ratio]'),
    unit: 'kg/m2',
    ucum: 'kg/m2',
    profile: `${R4}/bmi`,
  },
  oxygenSaturation: {
    loinc: code('loinc', '59408-5', 'Oxygen saturation in Arterial blood by Pulse oximetry'),
    unit: '%',
    ucum: '%',
    profile: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-pulse-oximetry',
  },
} as const satisfies Record<string, VitalSignCode>;

/** The second coding R4 `oxygensat` requires beside the pulse-oximetry code. */
export const ARTERIAL_OXYGEN_SATURATION = code(
  'loinc',
  '2708-6',
  'Oxygen saturation in Arterial blood',
);

/** US Core 3.1.1 smoking status: the observation code and the answers its value set lists. */
export const SMOKING_STATUS = {
  loinc: code('loinc', '72166-2', 'Tobacco smoking status'),
  neverSmoker: code('snomed', '266919005', 'Never smoked tobacco (finding)'),
  formerSmoker: code('snomed', '8517006', 'Ex-smoker (finding)'),
  lightSmoker: code('snomed', '428061000124105', 'Light tobacco smoker (finding)'),
} as const satisfies Record<string, Code>;
