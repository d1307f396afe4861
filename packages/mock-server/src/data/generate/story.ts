import type { Faker } from '@faker-js/faker';
import type { AllergyKey } from '../terminology/allergies.js';
import type { ConditionKey } from '../terminology/conditions.js';
import type { ProcedureKey } from '../terminology/encounters.js';
import type { MedicationKey } from '../terminology/medications.js';
import type { SMOKING_STATUS } from '../terminology/vitals.js';
import type { StaffKey } from '../shared/practice.js';

/** A problem-list condition and the drugs that treat it. */
export interface ChronicProblem {
  condition: ConditionKey;
  onsetYearsAgo: number;
  medications: MedicationKey[];
}

/** An acute visit: the encounter diagnosis and what was done about it. */
export interface AcuteEpisode {
  condition: ConditionKey;
  yearsAgo: number;
  medication?: MedicationKey;
  procedure?: ProcedureKey;
}

/** The clinical outline of one patient; the generators turn it into resources. */
export interface PatientStory {
  gender: 'female' | 'male';
  birthDate: string;
  pcp: StaffKey;
  chronic: ChronicProblem[];
  acute: AcuteEpisode[];
  allergies: AllergyKey[];
  smoking: Exclude<keyof typeof SMOKING_STATUS, 'loinc'>;
  /** Adult height and weight; children grow towards them. */
  heightCm: number;
  weightKg: number;
  /** A dual-chamber pacemaker implanted this many years ago. */
  pacemakerYearsAgo?: number;
}

/**
 * David (26): complete heart block found after a faint, paced since 2021; hypertension and obesity
 * under treatment; penicillin allergy.
 */
export const DAVID_STORY: PatientStory = {
  gender: 'male',
  birthDate: '1996-11-02',
  pcp: 'familyPhysician',
  chronic: [
    { condition: 'completeHeartBlock', onsetYearsAgo: 2.1, medications: [] },
    { condition: 'essentialHypertension', onsetYearsAgo: 3.4, medications: ['lisinopril10'] },
    { condition: 'obesity', onsetYearsAgo: 4.2, medications: [] },
    { condition: 'allergicRhinitis', onsetYearsAgo: 6, medications: ['cetirizine10'] },
  ],
  acute: [
    { condition: 'syncope', yearsAgo: 2.15, procedure: 'electrocardiogram' },
    { condition: 'viralPharyngitis', yearsAgo: 3.7, medication: 'ibuprofen200' },
    { condition: 'ankleSprain', yearsAgo: 1.3, medication: 'ibuprofen200' },
    { condition: 'acuteBronchitis', yearsAgo: 0.4, medication: 'azithromycin250' },
  ],
  allergies: ['penicillin', 'grassPollen'],
  smoking: 'formerSmoker',
  heightCm: 178,
  weightKg: 101,
  pacemakerYearsAgo: 2.1,
};

/** Anna (28): asthma and migraine; peanut allergy; a UTI and a sinusitis along the way. */
export const ANNA_STORY: PatientStory = {
  gender: 'female',
  birthDate: '1994-08-21',
  pcp: 'familyPhysician',
  chronic: [
    {
      condition: 'asthma',
      onsetYearsAgo: 12,
      medications: ['albuterolInhaler', 'fluticasoneInhaler'],
    },
    { condition: 'migraine', onsetYearsAgo: 5, medications: ['ibuprofen200'] },
  ],
  acute: [
    {
      condition: 'urinaryTractInfection',
      yearsAgo: 2.6,
      medication: 'sulfamethoxazoleTrimethoprim',
    },
    { condition: 'acuteSinusitis', yearsAgo: 1.1, medication: 'amoxicillin500' },
    { condition: 'gastroenteritis', yearsAgo: 0.2 },
  ],
  allergies: ['peanut', 'catDander'],
  smoking: 'neverSmoker',
  heightCm: 165,
  weightKg: 61,
};

/** Alex (4): David's son; eczema, dust-mite allergy, ear infections and a strep throat. */
export const ALEX_STORY: PatientStory = {
  gender: 'male',
  birthDate: '2018-09-14',
  pcp: 'pediatrician',
  chronic: [
    { condition: 'atopicDermatitis', onsetYearsAgo: 3.5, medications: ['hydrocortisoneCream'] },
  ],
  acute: [
    { condition: 'otitisMedia', yearsAgo: 2.3, medication: 'amoxicillinSuspension' },
    { condition: 'otitisMedia', yearsAgo: 1.4, medication: 'amoxicillinSuspension' },
    {
      condition: 'streptococcalPharyngitis',
      yearsAgo: 0.6,
      medication: 'amoxicillinSuspension',
      procedure: 'throatCulture',
    },
  ],
  allergies: ['houseDustMite'],
  smoking: 'neverSmoker',
  heightCm: 180,
  weightKg: 78,
};

const CHRONIC_POOL: readonly ChronicProblem[] = [
  { condition: 'essentialHypertension', onsetYearsAgo: 4, medications: ['lisinopril10'] },
  {
    condition: 'essentialHypertension',
    onsetYearsAgo: 6,
    medications: ['amlodipine5', 'hydrochlorothiazide25'],
  },
  { condition: 'type2Diabetes', onsetYearsAgo: 5, medications: ['metforminEr500'] },
  { condition: 'prediabetes', onsetYearsAgo: 3, medications: [] },
  { condition: 'hyperlipidemia', onsetYearsAgo: 4, medications: [] },
  { condition: 'asthma', onsetYearsAgo: 10, medications: ['albuterolInhaler'] },
  { condition: 'allergicRhinitis', onsetYearsAgo: 8, medications: ['cetirizine10'] },
  { condition: 'migraine', onsetYearsAgo: 6, medications: ['ibuprofen200'] },
  { condition: 'anxiety', onsetYearsAgo: 3, medications: [] },
  { condition: 'obesity', onsetYearsAgo: 5, medications: [] },
];

const ACUTE_POOL: readonly Omit<AcuteEpisode, 'yearsAgo'>[] = [
  { condition: 'viralPharyngitis', medication: 'ibuprofen200' },
  {
    condition: 'streptococcalPharyngitis',
    medication: 'amoxicillin500',
    procedure: 'throatCulture',
  },
  { condition: 'acuteSinusitis', medication: 'amoxicillin500' },
  { condition: 'acuteBronchitis', medication: 'azithromycin250' },
  { condition: 'urinaryTractInfection', medication: 'sulfamethoxazoleTrimethoprim' },
  { condition: 'ankleSprain', medication: 'ibuprofen200' },
  { condition: 'lowBackPain', medication: 'ibuprofen200' },
  { condition: 'gastroenteritis' },
];

// A patient allergic to a drug class is prescribed the usual alternative instead.
const ALTERNATIVES: Partial<Record<AllergyKey, { avoid: MedicationKey[]; use: MedicationKey }>> = {
  penicillin: { avoid: ['amoxicillin500', 'amoxicillinSuspension'], use: 'azithromycin250' },
  sulfonamide: { avoid: ['sulfamethoxazoleTrimethoprim'], use: 'amoxicillin500' },
};

function avoidAllergens(episode: AcuteEpisode, allergies: readonly AllergyKey[]): AcuteEpisode {
  for (const allergy of allergies) {
    const rule = ALTERNATIVES[allergy];
    if (rule && episode.medication && rule.avoid.includes(episode.medication)) {
      return { ...episode, medication: rule.use };
    }
  }
  return episode;
}

/** A plausible adult outline drawn from the curated pools. */
export function syntheticStory(
  faker: Faker,
  gender: 'female' | 'male',
  birthDate: string,
): PatientStory {
  const chronic = faker.helpers
    .arrayElements(CHRONIC_POOL, { min: 1, max: 3 })
    .filter(
      (problem, index, all) => all.findIndex((p) => p.condition === problem.condition) === index,
    )
    .map((problem) => ({
      ...problem,
      onsetYearsAgo:
        problem.onsetYearsAgo + faker.number.float({ min: 0, max: 2, fractionDigits: 2 }),
    }));
  const acute = faker.helpers.arrayElements(ACUTE_POOL, { min: 1, max: 3 }).map((episode) => ({
    ...episode,
    yearsAgo: faker.number.float({ min: 0.1, max: 4.5, fractionDigits: 2 }),
  }));
  const allergyKeys: AllergyKey[] = [
    'penicillin',
    'sulfonamide',
    'shellfish',
    'grassPollen',
    'latex',
    'catDander',
  ];
  const allergies = faker.helpers.arrayElements(allergyKeys, { min: 0, max: 2 });
  return {
    gender,
    birthDate,
    pcp: faker.helpers.arrayElement(['familyPhysician', 'nursePractitioner'] as const),
    chronic,
    acute: acute.map((episode) => avoidAllergens(episode, allergies)),
    allergies,
    smoking: faker.helpers.weightedArrayElement([
      { weight: 6, value: 'neverSmoker' as const },
      { weight: 3, value: 'formerSmoker' as const },
      { weight: 1, value: 'lightSmoker' as const },
    ]),
    heightCm:
      gender === 'female'
        ? faker.number.int({ min: 152, max: 178 })
        : faker.number.int({ min: 163, max: 193 }),
    weightKg:
      gender === 'female'
        ? faker.number.int({ min: 50, max: 105 })
        : faker.number.int({ min: 60, max: 125 }),
  };
}
