import { code, type Code } from './systems.js';

/** A quantitative analyte with its adult reference interval. */
export interface LabTest {
  loinc: Code;
  /** UCUM code, also the unit shown. */
  ucum: string;
  low: number;
  high: number;
  /** Decimal places the analyser reports. */
  decimals: number;
}

/** A panel ordered as one DiagnosticReport. */
export interface LabPanel {
  loinc: Code;
  tests: readonly LabTest[];
}

function test(
  loinc: string,
  display: string,
  ucum: string,
  low: number,
  high: number,
  decimals: number,
) {
  return { loinc: code('loinc', loinc, display), ucum, low, high, decimals } satisfies LabTest;
}

/**
 * Curated laboratory panels (LOINC, UCUM units, common adult reference intervals).
 * @see https://www.hl7.org/fhir/us/core/STU3.1.1/StructureDefinition-us-core-observation-lab.html
 */
export const LAB_PANELS = {
  cbc: {
    loinc: code('loinc', '58410-2', 'CBC panel - Blood by Automated count'),
    tests: [
      test('6690-2', 'Leukocytes [#/volume] in Blood by Automated count', '10*3/uL', 4.5, 11, 1),
      test('789-8', 'Erythrocytes [#/volume] in Blood by Automated count', '10*6/uL', 4.2, 5.9, 2),
      test('718-7', 'Hemoglobin [Mass/volume] in Blood', 'g/dL', 12, 17.5, 1),
      test('4544-3', 'Hematocrit [Volume Fraction] of Blood by Automated count', '%', 36, 51, 1),
      test('787-2', 'MCV [Entitic volume] by Automated count', 'fL', 80, 100, 1),
      test('785-6', 'MCH [Entitic mass] by Automated count', 'pg', 27, 33, 1),
      test('786-4', 'MCHC [Mass/volume] by Automated count', 'g/dL', 32, 36, 1),
      test('777-3', 'Platelets [#/volume] in Blood by Automated count', '10*3/uL', 150, 450, 0),
    ],
  },
  bmp: {
    loinc: code('loinc', '51990-0', 'Basic metabolic panel - Blood'),
    tests: [
      test('2345-7', 'Glucose [Mass/volume] in Serum or Plasma', 'mg/dL', 70, 99, 0),
      test('3094-0', 'Urea nitrogen [Mass/volume] in Serum or Plasma', 'mg/dL', 7, 20, 0),
      test('2160-0', 'Creatinine [Mass/volume] in Serum or Plasma', 'mg/dL', 0.6, 1.3, 2),
      test('17861-6', 'Calcium [Mass/volume] in Serum or Plasma', 'mg/dL', 8.5, 10.2, 1),
      test('2951-2', 'Sodium [Moles/volume] in Serum or Plasma', 'mmol/L', 136, 145, 0),
      test('2823-3', 'Potassium [Moles/volume] in Serum or Plasma', 'mmol/L', 3.5, 5.1, 1),
      test('2075-0', 'Chloride [Moles/volume] in Serum or Plasma', 'mmol/L', 98, 107, 0),
      test(
        '2028-9',
        'Carbon dioxide, total [Moles/volume] in Serum or Plasma',
        'mmol/L',
        22,
        29,
        0,
      ),
    ],
  },
  lipid: {
    loinc: code('loinc', '24331-1', 'Lipid panel - Serum or Plasma'),
    tests: [
      test('2093-3', 'Cholesterol [Mass/volume] in Serum or Plasma', 'mg/dL', 100, 199, 0),
      test('2571-8', 'Triglyceride [Mass/volume] in Serum or Plasma', 'mg/dL', 0, 149, 0),
      test('2085-9', 'Cholesterol in HDL [Mass/volume] in Serum or Plasma', 'mg/dL', 40, 90, 0),
      test(
        '13457-7',
        'Cholesterol in LDL [Mass/volume] in Serum or Plasma by calculation',
        'mg/dL',
        0,
        99,
        0,
      ),
    ],
  },
  hba1c: {
    loinc: code('loinc', '4548-4', 'Hemoglobin A1c/Hemoglobin.total in Blood'),
    tests: [test('4548-4', 'Hemoglobin A1c/Hemoglobin.total in Blood', '%', 4, 5.6, 1)],
  },
  tsh: {
    loinc: code('loinc', '3016-3', 'Thyrotropin [Units/volume] in Serum or Plasma'),
    tests: [test('3016-3', 'Thyrotropin [Units/volume] in Serum or Plasma', 'm[IU]/L', 0.4, 4, 2)],
  },
} as const satisfies Record<string, LabPanel>;

/** A key of {@link LAB_PANELS}. */
export type LabPanelKey = keyof typeof LAB_PANELS;
