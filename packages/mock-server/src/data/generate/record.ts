import type { Condition, Encounter, Goal, Resource } from '@medplum/fhirtypes';
import { addDays, ageInYears, daysAgo } from '../reference-date.js';
import type { StaffKey } from '../shared/practice.js';
import { CONDITIONS } from '../terminology/conditions.js';
import { ENCOUNTER_TYPES, NOTE_TYPES } from '../terminology/encounters.js';
import { CHILDHOOD_SCHEDULE } from '../terminology/immunizations.js';
import type { MedicationKey } from '../terminology/medications.js';
import type { RecordBuilder } from './builder.js';
import { addCarePlan, addCareTeam, addGoal } from './care.js';
import {
  addAllergy,
  addCondition,
  addEncounter,
  addImmunization,
  addMedicationRequest,
  addPacemaker,
  addProcedure,
} from './clinical.js';
import { addClinicalNote } from './documents.js';
import { addDispenses, addFluShotAdministration } from './medication-use.js';
import { addLabPanel, addSmokingStatus, addVitalSigns } from './observations.js';
import type { PatientStory } from './story.js';

const YEAR_DAYS = 365.25;

const GOALS: Partial<Record<keyof typeof CONDITIONS, string>> = {
  essentialHypertension: 'Blood pressure below 130/80 mmHg at home and in clinic',
  obesity: 'Lose 5% of body weight through diet and 150 minutes of exercise a week',
  type2Diabetes: 'Hemoglobin A1c below 7%',
  prediabetes: 'Hemoglobin A1c below 5.7% with diet and exercise',
  hyperlipidemia: 'LDL cholesterol below 130 mg/dL',
  asthma: 'No night-time symptoms and rescue inhaler use twice a week or less',
  completeHeartBlock: 'Pacemaker checks every 6 months with normal device function',
  atopicDermatitis: 'Skin clear of flares with daily moisturiser and short steroid courses',
  migraine: 'Fewer than two migraine days a month',
};

// Health concerns follow from the problem list: inactivity with the cardiometabolic problems,
// stress with migraine.
function healthConcerns(story: PatientStory): (keyof typeof CONDITIONS)[] {
  const has = (...keys: (keyof typeof CONDITIONS)[]) =>
    story.chronic.some((problem) => keys.includes(problem.condition));
  return [
    ...(has('obesity', 'essentialHypertension', 'type2Diabetes', 'prediabetes', 'hyperlipidemia')
      ? (['sedentaryLifestyle'] as const)
      : []),
    ...(has('migraine', 'anxiety') ? (['stress'] as const) : []),
  ];
}

/** A prescription and the pharmacy's fills of it. */
function prescribe(
  builder: RecordBuilder,
  key: MedicationKey,
  authored: Date,
  author: StaffKey,
  reason: Condition,
  visit: Encounter,
): void {
  const request = addMedicationRequest(builder, key, authored, author, reason, visit);
  addDispenses(builder, key, request, author);
}

/**
 * Writes the clinical record of a patient whose Patient resource is already in `builder`: yearly
 * check-ups over five years (vitals, labs, screening, flu shots), the chronic problems with their
 * prescriptions, the acute visits, allergies, the care team, plan and goals, and notes.
 */
export function writeClinicalRecord(builder: RecordBuilder, story: PatientStory): void {
  const { faker } = builder;
  const pcp = story.pcp;
  const birth = new Date(`${story.birthDate}T15:00:00Z`);
  const child = ageInYears(story.birthDate, daysAgo(0)) < 18;

  const problems: Condition[] = [];
  for (const problem of story.chronic) {
    const onset = daysAgo(problem.onsetYearsAgo * YEAR_DAYS);
    const author: StaffKey = problem.condition === 'completeHeartBlock' ? 'cardiologist' : pcp;
    const visit = addEncounter(builder, ENCOUNTER_TYPES.followUp, onset, author);
    const condition = addCondition(builder, problem.condition, onset, author, visit);
    problems.push(condition);
    for (const medication of problem.medications) {
      prescribe(builder, medication, onset, author, condition, visit);
    }
  }

  for (const concern of healthConcerns(story)) {
    const noted = daysAgo(faker.number.int({ min: 200, max: 900 }));
    addCondition(builder, concern, noted, pcp, undefined, true);
  }

  for (const key of story.allergies) {
    addAllergy(builder, key, daysAgo(faker.number.int({ min: 400, max: 1800 })), pcp);
  }

  for (const episode of story.acute) {
    const start = daysAgo(episode.yearsAgo * YEAR_DAYS);
    const visit = addEncounter(builder, ENCOUNTER_TYPES.symptom, start, pcp);
    const diagnosis = addCondition(builder, episode.condition, start, pcp, visit);
    if (episode.procedure)
      addProcedure(builder, episode.procedure, start, pcp, { encounter: visit, reason: diagnosis });
    if (episode.medication) prescribe(builder, episode.medication, start, pcp, diagnosis, visit);
    addVitalSigns(builder, story, visit, pcp);
    const { display } = CONDITIONS[episode.condition].snomed;
    addClinicalNote(builder, NOTE_TYPES.progressNote, visit, pcp, [
      [
        'Chief complaint',
        faker.helpers.arrayElement(['Seen for', 'Presents with', 'Came in with']) +
          ` symptoms of ${display.replace(/ \(.*\)$/, '').toLowerCase()}.`,
      ],
      ['History', faker.lorem.sentences(2)],
      ['Assessment', `${display.replace(/ \(.*\)$/, '')}.`],
      [
        'Plan',
        episode.medication
          ? 'Prescription sent to pharmacy; return if not improving in one week.'
          : 'Supportive care; return if not improving in one week.',
      ],
    ]);
  }

  if (story.pacemakerYearsAgo !== undefined) {
    const implanted = daysAgo(story.pacemakerYearsAgo * YEAR_DAYS - 10);
    const heartBlock = problems.find(
      (c) => c.code?.coding?.[0]?.code === CONDITIONS.completeHeartBlock.snomed.code,
    );
    const stay = addEncounter(
      builder,
      ENCOUNTER_TYPES.followUp,
      implanted,
      'cardiologist',
      heartBlock ? { reference: `Condition/${heartBlock.id}` } : undefined,
    );
    addProcedure(builder, 'pacemakerInsertion', implanted, 'cardiologist', {
      encounter: stay,
      ...(heartBlock ? { reason: heartBlock } : {}),
    });
    addPacemaker(builder, implanted, 'cardiologist');
    addClinicalNote(builder, NOTE_TYPES.dischargeSummary, stay, 'cardiologist', [
      ['Diagnosis', 'Complete atrioventricular block with syncope.'],
      [
        'Procedure',
        'Dual-chamber permanent pacemaker implanted via the left cephalic vein without complication.',
      ],
      [
        'Discharge instructions',
        'Keep the left arm below shoulder height for 4 weeks; device check in 2 weeks, then every 6 months.',
      ],
    ]);
  }

  const firstCheckupYears = Math.min(
    5,
    Math.floor((daysAgo(0).getTime() - birth.getTime()) / (YEAR_DAYS * 86_400_000)),
  );
  let lastCheckup: Encounter | undefined;
  for (let yearsAgo = firstCheckupYears; yearsAgo >= 0; yearsAgo -= 1) {
    const visitDate = daysAgo(yearsAgo * YEAR_DAYS + 30 + faker.number.int({ min: 0, max: 60 }));
    if (visitDate < birth) continue;
    const age = ageInYears(story.birthDate, visitDate);
    const checkup = addEncounter(
      builder,
      age < 18 ? ENCOUNTER_TYPES.wellChild : ENCOUNTER_TYPES.checkup,
      visitDate,
      pcp,
    );
    lastCheckup = checkup;
    addVitalSigns(builder, story, checkup, pcp);
    if (age >= 12) addSmokingStatus(builder, story, checkup, pcp);
    if (age >= 18) {
      addLabPanel(builder, 'cbc', checkup, pcp);
      addLabPanel(
        builder,
        'bmp',
        checkup,
        pcp,
        story.chronic.some((p) => p.condition === 'type2Diabetes') ? ['2345-7'] : [],
      );
      if (
        story.chronic.some((p) =>
          ['hyperlipidemia', 'obesity', 'essentialHypertension'].includes(p.condition),
        )
      ) {
        addLabPanel(builder, 'lipid', checkup, pcp, ['2093-3', '13457-7']);
      }
      if (
        story.chronic.some((p) => ['type2Diabetes', 'prediabetes', 'obesity'].includes(p.condition))
      ) {
        addLabPanel(builder, 'hba1c', checkup, pcp, ['4548-4']);
      }
      addProcedure(builder, 'medicationReconciliation', visitDate, pcp, { encounter: checkup });
      addProcedure(builder, 'depressionScreening', visitDate, pcp, { encounter: checkup });
    }
    if (age >= 1) {
      const flu = addImmunization(builder, 'influenza', addDays(visitDate, 1 / 96), pcp);
      addFluShotAdministration(builder, flu, checkup, pcp);
    }
  }

  if (child) {
    for (const dose of CHILDHOOD_SCHEDULE) {
      const given = addDays(birth, dose.ageMonths * 30.44);
      if (given < daysAgo(0)) addImmunization(builder, dose.vaccine, given, pcp);
    }
  } else {
    addImmunization(builder, 'tdap', daysAgo(faker.number.int({ min: 200, max: 3000 })), pcp);
    addImmunization(builder, 'covidPfizer', new Date('2021-04-12T15:00:00Z'), pcp);
    addImmunization(builder, 'covidPfizer', new Date('2021-05-03T15:00:00Z'), pcp);
  }

  const since = daysAgo(5 * YEAR_DAYS);
  const team: StaffKey[] =
    story.pacemakerYearsAgo === undefined ? [pcp, 'nursePractitioner'] : [pcp, 'cardiologist'];
  addCareTeam(builder, [...new Set(team)], since > birth ? since : birth, pcp);
  const planDate = new Date(lastCheckup?.period?.start ?? daysAgo(30));
  const goals: Goal[] = problems.flatMap((condition, index) => {
    const problem = story.chronic[index];
    const description = problem && GOALS[problem.condition];
    return description ? [addGoal(builder, condition, description, planDate, pcp)] : [];
  });
  addCarePlan(builder, problems, goals, planDate, pcp);
  if (lastCheckup) {
    addClinicalNote(builder, NOTE_TYPES.progressNote, lastCheckup, pcp, [
      ['Visit', `${child ? 'Well-child' : 'Annual wellness'} visit.`],
      ['Active problems', problems.map((c) => c.code?.text).join('; ') || 'None.'],
      [
        'Exam',
        faker.helpers.arrayElement([
          'Well appearing, in no distress.',
          'Alert, well nourished, no acute distress.',
        ]),
      ],
      [
        'Plan',
        'Continue current medications; labs and immunizations as ordered; return in one year.',
      ],
    ]);
  }
}

/** Runs {@link writeClinicalRecord} and returns the finished resources with their Provenance. */
export function finishRecord(builder: RecordBuilder, story: PatientStory): Resource[] {
  writeClinicalRecord(builder, story);
  return builder.build();
}
