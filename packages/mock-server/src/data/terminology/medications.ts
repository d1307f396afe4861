import { code, type Code } from './systems.js';

/** How a drug is taken, as `MedicationRequest.dosageInstruction` states it. */
export interface DosageTemplate {
  text: string;
  /** Times per period. */
  frequency: number;
  period: number;
  periodUnit: 'h' | 'd' | 'wk';
  asNeeded: boolean;
  route: Code;
  dose: { value: number; unit: string; code: string };
}

/** A prescribable product: RxNorm clinical drug (SCD) with its dose form and default dosage. */
export interface MedicationCode {
  rxnorm: Code;
  form: Code;
  dosage: DosageTemplate;
  /** Days of supply: chronic medications are refilled, acute ones end. */
  courseDays?: number;
}

const ORAL = code('snomed', '26643006', 'Oral route (qualifier value)');
const INHALED = code('snomed', '447694001', 'Respiratory tract route (qualifier value)');
const TOPICAL = code('snomed', '6064005', 'Topical route (qualifier value)');
const TABLET = code('snomed', '385055001', 'Tablet (basic dose form)');
const CAPSULE = code('snomed', '385049006', 'Capsule (basic dose form)');
const INHALER = code('snomed', '420317006', 'Inhalation powder (basic dose form)');
const SUSPENSION = code('snomed', '385024007', 'Oral suspension (basic dose form)');
const CREAM = code('snomed', '385099005', 'Cream (basic dose form)');

const TAB = { unit: 'tablet', code: '{tbl}' };
const CAP = { unit: 'capsule', code: '{capsule}' };
const PUFF = { unit: 'puff', code: '{puff}' };

function daily(text: string, frequency: number, value: number, unit: typeof TAB, route = ORAL) {
  return {
    text,
    frequency,
    period: 1,
    periodUnit: 'd',
    asNeeded: false,
    route,
    dose: { value, ...unit },
  } satisfies DosageTemplate;
}

/**
 * Curated RxNorm clinical drugs (SCD level, as US Core 3.1.1 Medication.code prefers).
 * @see https://www.hl7.org/fhir/us/core/STU3.1.1/ValueSet-us-core-medication-codes.html
 */
export const MEDICATIONS = {
  lisinopril10: {
    rxnorm: code('rxnorm', '314076', 'lisinopril 10 MG Oral Tablet'),
    form: TABLET,
    dosage: daily('Take 1 tablet by mouth once daily', 1, 1, TAB),
  },
  amlodipine5: {
    rxnorm: code('rxnorm', '197361', 'amlodipine 5 MG Oral Tablet'),
    form: TABLET,
    dosage: daily('Take 1 tablet by mouth once daily', 1, 1, TAB),
  },
  hydrochlorothiazide25: {
    rxnorm: code('rxnorm', '310798', 'hydrochlorothiazide 25 MG Oral Tablet'),
    form: TABLET,
    dosage: daily('Take 1 tablet by mouth every morning', 1, 1, TAB),
  },
  metforminEr500: {
    rxnorm: code(
      'rxnorm',
      '860975',
      '24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet',
    ),
    form: TABLET,
    dosage: daily('Take 1 tablet by mouth once daily with the evening meal', 1, 1, TAB),
  },
  cetirizine10: {
    rxnorm: code('rxnorm', '1014678', 'cetirizine hydrochloride 10 MG Oral Tablet'),
    form: TABLET,
    dosage: daily('Take 1 tablet by mouth once daily during allergy season', 1, 1, TAB),
  },
  albuterolInhaler: {
    rxnorm: code('rxnorm', '745679', '200 ACTUAT albuterol 0.09 MG/ACTUAT Metered Dose Inhaler'),
    form: INHALER,
    dosage: {
      text: 'Inhale 2 puffs every 4 to 6 hours as needed for wheezing or shortness of breath',
      frequency: 1,
      period: 4,
      periodUnit: 'h',
      asNeeded: true,
      route: INHALED,
      dose: { value: 2, ...PUFF },
    },
  },
  fluticasoneInhaler: {
    rxnorm: code(
      'rxnorm',
      '895994',
      '120 ACTUAT fluticasone propionate 0.044 MG/ACTUAT Metered Dose Inhaler',
    ),
    form: INHALER,
    dosage: daily('Inhale 2 puffs twice daily; rinse mouth after use', 2, 2, PUFF, INHALED),
  },
  amoxicillin500: {
    rxnorm: code('rxnorm', '308191', 'amoxicillin 500 MG Oral Capsule'),
    form: CAPSULE,
    dosage: daily('Take 1 capsule by mouth three times daily for 10 days', 3, 1, CAP),
    courseDays: 10,
  },
  amoxicillinSuspension: {
    rxnorm: code('rxnorm', '308189', 'amoxicillin 80 MG/ML Oral Suspension'),
    form: SUSPENSION,
    dosage: {
      ...daily('Give 5 mL by mouth twice daily for 10 days', 2, 5, { unit: 'mL', code: 'mL' }),
    },
    courseDays: 10,
  },
  azithromycin250: {
    rxnorm: code('rxnorm', '308460', 'azithromycin 250 MG Oral Tablet'),
    form: TABLET,
    dosage: daily('Take 2 tablets on day 1, then 1 tablet daily on days 2 to 5', 1, 1, TAB),
    courseDays: 5,
  },
  sulfamethoxazoleTrimethoprim: {
    rxnorm: code('rxnorm', '198335', 'sulfamethoxazole 800 MG / trimethoprim 160 MG Oral Tablet'),
    form: TABLET,
    dosage: daily('Take 1 tablet by mouth twice daily for 3 days', 2, 1, TAB),
    courseDays: 3,
  },
  ibuprofen200: {
    rxnorm: code('rxnorm', '310965', 'ibuprofen 200 MG Oral Tablet'),
    form: TABLET,
    dosage: {
      ...daily('Take 2 tablets by mouth every 6 hours as needed for pain', 4, 2, TAB),
      asNeeded: true,
    },
    courseDays: 14,
  },
  hydrocortisoneCream: {
    rxnorm: code('rxnorm', '106258', 'hydrocortisone 10 MG/ML Topical Cream'),
    form: CREAM,
    dosage: daily(
      'Apply a thin layer to affected skin twice daily',
      2,
      1,
      {
        unit: 'application',
        code: '{application}',
      },
      TOPICAL,
    ),
  },
} as const satisfies Record<string, MedicationCode>;

/** A key of {@link MEDICATIONS}. */
export type MedicationKey = keyof typeof MEDICATIONS;
