import type {
  CodeableConcept,
  DiagnosticReport,
  Encounter,
  Observation,
  Quantity,
} from '@medplum/fhirtypes';
import { US_CORE_PROFILES } from '../profiles.js';
import { addDays, ageInYears, fhirDateTime } from '../reference-date.js';
import { STAFF, type StaffKey } from '../shared/practice.js';
import { LAB_PANELS, type LabPanelKey, type LabTest } from '../terminology/labs.js';
import { SYSTEMS } from '../terminology/systems.js';
import { ARTERIAL_OXYGEN_SATURATION, SMOKING_STATUS, VITAL_SIGNS } from '../terminology/vitals.js';
import type { Draft, RecordBuilder } from './builder.js';
import { addServiceRequest, addSpecimen } from './orders.js';
import type { PatientStory } from './story.js';

const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';

function category(
  code: 'vital-signs' | 'laboratory' | 'social-history',
  display: string,
): CodeableConcept[] {
  return [{ coding: [{ system: OBSERVATION_CATEGORY, code, display }] }];
}

function quantity(value: number, ucum: string, unit = ucum): Quantity {
  return { value, unit, system: SYSTEMS.ucum, code: ucum };
}

// Median growth (CDC charts, both sexes), scaled to the patient's adult size.
const GROWTH: readonly [age: number, heightCm: number, weightKg: number][] = [
  [0, 50, 3.4],
  [1, 75, 10],
  [2, 87, 12.5],
  [3, 95, 14.5],
  [4, 102, 16.5],
  [5, 109, 18.5],
  [6, 115, 21],
  [8, 128, 26],
  [10, 138, 32],
  [12, 149, 40],
  [14, 162, 51],
  [16, 171, 61],
  [18, 176, 70],
];

function interpolate(age: number, column: 1 | 2): number {
  const upper = GROWTH.findIndex(([a]) => a >= age);
  if (upper <= 0) return GROWTH[0]?.[column] ?? 0;
  const low = GROWTH[upper - 1] as (typeof GROWTH)[number];
  const high = GROWTH[upper] as (typeof GROWTH)[number];
  const share = (age - low[0]) / (high[0] - low[0]);
  return low[column] + (high[column] - low[column]) * share;
}

/** Height and weight at a date: adults keep their size (weight drifting), children grow. */
function bodySize(builder: RecordBuilder, story: PatientStory, at: Date) {
  const age = (at.getTime() - new Date(`${story.birthDate}T00:00:00Z`).getTime()) / 31_557_600_000;
  if (age >= 18) {
    return {
      height: story.heightCm,
      weight: story.weightKg + builder.faker.number.float({ min: -2.5, max: 2.5 }),
    };
  }
  return {
    height: (interpolate(age, 1) * story.heightCm) / 176,
    weight: (interpolate(age, 2) * story.weightKg) / 70,
  };
}

const round = (value: number, decimals: number) => Number(value.toFixed(decimals));

/** One set of vital signs taken at a visit, each under its R4 vital-signs profile. */
export function addVitalSigns(
  builder: RecordBuilder,
  story: PatientStory,
  encounter: Encounter,
  author: StaffKey,
) {
  const { faker } = builder;
  const taken = new Date(encounter.period?.start ?? '');
  const age = ageInYears(story.birthDate, taken);
  const hypertensive = story.chronic.some((p) => p.condition === 'essentialHypertension');
  const { height, weight } = bodySize(builder, story, taken);
  const base: Draft<Observation> = {
    resourceType: 'Observation',
    status: 'final',
    code: {},
    category: category('vital-signs', 'Vital Signs'),
    subject: builder.subject,
    encounter: { reference: `Encounter/${encounter.id}` },
    effectiveDateTime: fhirDateTime(taken),
    performer: [{ reference: `Practitioner/${STAFF[author].id}` }],
  };
  const add = (vital: keyof typeof VITAL_SIGNS, value: number, decimals = 0) => {
    const sign = VITAL_SIGNS[vital];
    const coding =
      vital === 'oxygenSaturation' ? [sign.loinc, ARTERIAL_OXYGEN_SATURATION] : [sign.loinc];
    builder.add<Observation>(
      {
        ...base,
        code: { coding, text: sign.loinc.display },
        valueQuantity: quantity(round(value, decimals), sign.ucum, sign.unit),
      },
      { profiles: [sign.profile], recorded: taken, author },
    );
  };
  if (age >= 3) {
    const systolic =
      (hypertensive ? 136 : age < 13 ? 100 : 116) + faker.number.int({ min: -8, max: 8 });
    const diastolic =
      (hypertensive ? 86 : age < 13 ? 62 : 74) + faker.number.int({ min: -6, max: 6 });
    const bp = VITAL_SIGNS.bloodPressure;
    builder.add<Observation>(
      {
        ...base,
        code: { coding: [bp.loinc], text: 'Blood pressure' },
        component: [
          {
            code: { coding: [VITAL_SIGNS.systolic.loinc] },
            valueQuantity: quantity(systolic, 'mm[Hg]'),
          },
          {
            code: { coding: [VITAL_SIGNS.diastolic.loinc] },
            valueQuantity: quantity(diastolic, 'mm[Hg]'),
          },
        ],
      },
      { profiles: [bp.profile], recorded: taken, author },
    );
  }
  add('heartRate', (age < 6 ? 100 : age < 13 ? 85 : 72) + faker.number.int({ min: -10, max: 10 }));
  add(
    'respiratoryRate',
    (age < 6 ? 24 : age < 13 ? 20 : 15) + faker.number.int({ min: -2, max: 2 }),
  );
  add('bodyTemperature', faker.number.float({ min: 36.4, max: 37.2 }), 1);
  add('oxygenSaturation', faker.number.int({ min: 96, max: 100 }));
  add('bodyHeight', height, 1);
  add('bodyWeight', weight, 1);
  add('bmi', weight / (height / 100) ** 2, 1);
}

function labValue(builder: RecordBuilder, test: LabTest, abnormal: boolean): number {
  const span = test.high - test.low;
  const value = abnormal
    ? test.high + span * builder.faker.number.float({ min: 0.05, max: 0.4 })
    : test.low + span * builder.faker.number.float({ min: 0.1, max: 0.9 });
  return round(value, test.decimals);
}

function interpretation(value: number, test: LabTest): CodeableConcept {
  const [code, display] =
    value > test.high ? ['H', 'High'] : value < test.low ? ['L', 'Low'] : ['N', 'Normal'];
  return {
    coding: [
      {
        system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
        code,
        display,
      },
    ],
  };
}

/**
 * A laboratory panel: the order (ServiceRequest) and the blood sample (Specimen) behind it, one US
 * Core lab Observation per analyte (with reference range and interpretation) grouped by a US Core
 * lab DiagnosticReport based on the order.
 */
export function addLabPanel(
  builder: RecordBuilder,
  key: LabPanelKey,
  encounter: Encounter,
  author: StaffKey,
  abnormalCodes: readonly string[] = [],
): DiagnosticReport {
  const panel = LAB_PANELS[key];
  const collected = new Date(encounter.period?.start ?? '');
  const issued = addDays(collected, 1);
  const order = addServiceRequest(
    builder,
    { code: panel.loinc, category: 'laboratory' },
    encounter,
    author,
  );
  const specimen = addSpecimen(builder, 'blood', order, collected, author);
  const results = panel.tests.map((test) => {
    const value = labValue(builder, test, abnormalCodes.includes(test.loinc.code));
    return builder.add<Observation>(
      {
        resourceType: 'Observation',
        basedOn: [{ reference: `ServiceRequest/${order.id}` }],
        status: 'final',
        category: category('laboratory', 'Laboratory'),
        code: { coding: [test.loinc], text: test.loinc.display },
        subject: builder.subject,
        encounter: { reference: `Encounter/${encounter.id}` },
        effectiveDateTime: fhirDateTime(collected),
        issued: fhirDateTime(issued),
        valueQuantity: quantity(value, test.ucum),
        interpretation: [interpretation(value, test)],
        referenceRange: [
          {
            low: quantity(test.low, test.ucum),
            high: quantity(test.high, test.ucum),
            text: `${test.low}-${test.high} ${test.ucum}`,
          },
        ],
        specimen: { reference: `Specimen/${specimen.id}` },
      },
      { profiles: [US_CORE_PROFILES.observationLab], recorded: issued, author },
    );
  });
  return builder.add<DiagnosticReport>(
    {
      resourceType: 'DiagnosticReport',
      basedOn: [{ reference: `ServiceRequest/${order.id}` }],
      status: 'final',
      category: [
        {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/v2-0074',
              code: 'LAB',
              display: 'Laboratory',
            },
          ],
        },
      ],
      code: { coding: [panel.loinc], text: panel.loinc.display },
      subject: builder.subject,
      encounter: { reference: `Encounter/${encounter.id}` },
      effectiveDateTime: fhirDateTime(collected),
      issued: fhirDateTime(issued),
      performer: [{ reference: `Practitioner/${STAFF[author].id}` }],
      specimen: [{ reference: `Specimen/${specimen.id}` }],
      result: results.map((result) => ({ reference: `Observation/${result.id}` })),
    },
    { profiles: [US_CORE_PROFILES.diagnosticReportLab], recorded: issued, author },
  );
}

/** The US Core smoking status recorded at a visit. */
export function addSmokingStatus(
  builder: RecordBuilder,
  story: PatientStory,
  encounter: Encounter,
  author: StaffKey,
) {
  const taken = new Date(encounter.period?.start ?? '');
  const answer = SMOKING_STATUS[story.smoking];
  return builder.add<Observation>(
    {
      resourceType: 'Observation',
      status: 'final',
      category: category('social-history', 'Social History'),
      code: { coding: [SMOKING_STATUS.loinc], text: SMOKING_STATUS.loinc.display },
      subject: builder.subject,
      encounter: { reference: `Encounter/${encounter.id}` },
      effectiveDateTime: fhirDateTime(taken),
      issued: fhirDateTime(taken),
      valueCodeableConcept: { coding: [answer], text: answer.display },
    },
    { profiles: [US_CORE_PROFILES.smokingStatus], recorded: taken, author },
  );
}
