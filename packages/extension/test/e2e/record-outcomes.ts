import { GUIDE_USERS, type GuideUser } from '../../../../test-support/guide.js';

/**
 * What each section of the record page shows: the number of entries it rendered, `'empty'`, or
 * the error or state it shows instead (which no expectation ever holds).
 */
export type SectionOutcome = number | 'empty' | `not shared` | `error: ${string}`;

/** Every section's outcome, by the resource type the section is named after. */
export type SectionOutcomes = Record<string, SectionOutcome>;

/**
 * Reads every section's outcome from the record page; runs inside the page, so it is passed to the
 * driver's `evaluate` and must use nothing from its module. Sections expose their state as
 * `data-state` (`loaded`, `empty`, `error`, `not-shared`) and their entries as
 * `data-testid="item-<type>"`.
 */
export function readSectionOutcomes(): SectionOutcomes {
  const outcomes: SectionOutcomes = {};
  for (const section of document.querySelectorAll<HTMLElement>(
    'section[data-testid^="section-"]',
  )) {
    const type = (section.dataset.testid ?? '').slice('section-'.length);
    const state = section.dataset.state;
    const error = section.querySelector('[data-testid="section-error"]')?.textContent;
    outcomes[type] =
      state === 'loaded'
        ? section.querySelectorAll(`[data-testid="item-${type}"]`).length
        : state === 'empty'
          ? 'empty'
          : state === 'not-shared'
            ? 'not shared'
            : `error: ${error ?? `the section is ${state ?? 'in no state'}`}`;
  }
  return outcomes;
}

/**
 * The outcome of every section for each test patient, on the mock's seeded data. Every patient
 * has one assessment-and-plan CarePlan; only David has a device, only Alex no lab reports.
 */
export const RECORD_OUTCOMES: Record<'david' | 'anna' | 'alex', SectionOutcomes> = {
  david: {
    Condition: 9,
    MedicationDispense: 15,
    MedicationAdministration: 6,
    MedicationRequest: 11,
    AllergyIntolerance: 2,
    Immunization: 9,
    Observation: 80,
    DiagnosticReport: 24,
    ServiceRequest: 38,
    Procedure: 14,
    Encounter: 15,
    CareTeam: 1,
    CarePlan: 1,
    Goal: 3,
    Device: 1,
    DocumentReference: 6,
    Coverage: 1,
  },
  anna: {
    Condition: 6,
    MedicationDispense: 15,
    MedicationAdministration: 6,
    MedicationRequest: 11,
    AllergyIntolerance: 2,
    Immunization: 9,
    Observation: 72,
    DiagnosticReport: 12,
    ServiceRequest: 24,
    Procedure: 12,
    Encounter: 11,
    CareTeam: 1,
    CarePlan: 1,
    Goal: 2,
    Device: 'empty',
    DocumentReference: 4,
    Coverage: 1,
  },
  alex: {
    Condition: 4,
    MedicationDispense: 9,
    MedicationAdministration: 4,
    MedicationRequest: 8,
    AllergyIntolerance: 1,
    Immunization: 31,
    Observation: 60,
    DiagnosticReport: 'empty',
    ServiceRequest: 1,
    Procedure: 1,
    Encounter: 9,
    CareTeam: 1,
    CarePlan: 1,
    Goal: 1,
    Device: 'empty',
    DocumentReference: 4,
    Coverage: 1,
  },
};

/** A test patient as the banner shows them. */
export interface PatientIdentity {
  patientId: string;
  name: string;
  birthDate: string;
  /** As the banner words FHIR's `gender`. */
  sex: string;
  mrn: string;
}

/** The guide's test patients as the mock serves them. */
export const TEST_PATIENTS: Record<'david' | 'anna' | 'alex', PatientIdentity> = {
  david: {
    patientId: '428946492',
    name: 'DAVID SMITH',
    birthDate: '1996-11-02',
    sex: 'Male',
    mrn: '428946492',
  },
  anna: {
    patientId: '428946523',
    name: 'ANNA SMITH',
    birthDate: '1994-08-21',
    sex: 'Female',
    mrn: '428946523',
  },
  alex: {
    patientId: '429119572',
    name: 'ALEX SMITH',
    birthDate: '2018-09-14',
    sex: 'Male',
    mrn: '429119572',
  },
};

/** Who signs in, whom they choose on the selection screen, and whose record that is. */
export interface Scenario {
  title: string;
  user: GuideUser;
  patient: PatientIdentity;
  /** The account holder's name when the record is a dependent's. */
  signedInAs?: string;
  outcomes: SectionOutcomes;
}

export const SCENARIOS: Scenario[] = [
  {
    title: 'DavidFHIR',
    user: GUIDE_USERS.david,
    patient: TEST_PATIENTS.david,
    outcomes: RECORD_OUTCOMES.david,
  },
  {
    title: 'AnnaFHIR',
    user: GUIDE_USERS.anna,
    patient: TEST_PATIENTS.anna,
    outcomes: RECORD_OUTCOMES.anna,
  },
  {
    title: 'AlexSmithFhir',
    user: GUIDE_USERS.alex,
    patient: TEST_PATIENTS.alex,
    outcomes: RECORD_OUTCOMES.alex,
  },
  {
    title: 'DavidFHIR choosing his son Alex',
    user: GUIDE_USERS.david,
    patient: TEST_PATIENTS.alex,
    signedInAs: 'David Smith',
    outcomes: RECORD_OUTCOMES.alex,
  },
];

/**
 * Runs in the page: whether it names a patient and no section is still loading. Serialised by
 * Playwright and Puppeteer alike, so it may use nothing outside its body.
 */
export function recordSettled(): boolean {
  return (
    document.querySelector('[data-testid="patient-name"]') !== null &&
    !document.querySelector('[aria-busy="true"], [data-state="loading"]')
  );
}
