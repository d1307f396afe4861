import { readFileSync } from 'node:fs';
import type {
  Binary,
  Condition,
  Observation,
  Patient,
  Provenance,
  Resource,
} from '@medplum/fhirtypes';
import type { Dataset } from '../../data/index.js';

/** David Smith, the guide's Patient, as the fixture file holds it. */
export const DAVID = JSON.parse(
  readFileSync(new URL('../../../spec/patient-428946492.json', import.meta.url), 'utf8'),
) as Patient;

const LOINC = 'http://loinc.org';
const CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';

function observation(
  id: string,
  patient: string,
  category: string,
  code: string,
  effective: string,
): Observation {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    category: [{ coding: [{ system: CATEGORY, code: category }] }],
    code: { coding: [{ system: LOINC, code }] },
    subject: { reference: `Patient/${patient}` },
    effectiveDateTime: effective,
  };
}

function condition(
  id: string,
  patient: string,
  category: string,
  onset: Condition['onsetPeriod'] | string,
): Condition {
  return {
    resourceType: 'Condition',
    id,
    category: [
      {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: category },
        ],
      },
    ],
    code: { coding: [{ system: 'http://snomed.info/sct', code: '38341003' }] },
    subject: { reference: `Patient/${patient}` },
    ...(typeof onset === 'string' ? { onsetDateTime: onset } : { onsetPeriod: onset }),
  };
}

function provenance(id: string, target: string): Provenance {
  return {
    resourceType: 'Provenance',
    id,
    target: [{ reference: target }],
    recorded: '2020-01-01T00:00:00Z',
    agent: [{ who: { reference: 'Organization/1673497' } }],
  };
}

/** Twelve vital-signs and three laboratory Observations for David, one a year from 2010. */
export const DAVID_VITALS = Array.from({ length: 12 }, (_, year) =>
  observation(
    `VS-${year}`,
    DAVID.id ?? '',
    'vital-signs',
    '8867-4',
    `${2010 + year}-05-03T10:00:00Z`,
  ),
);
export const DAVID_LABS = ['2019-05-03', '2019-06-15T08:30:00Z', '2020-01-01'].map((date, at) =>
  observation(`LR-${at}`, DAVID.id ?? '', 'laboratory', '2345-7', date),
);

const DAVID_CONDITIONS: Condition[] = [
  condition('PL-1', '428946492', 'problem-list-item', { start: '2018-03-01', end: '2019-02-01' }),
  condition('ED-2', '428946492', 'encounter-diagnosis', '2021-07-04T12:00:00Z'),
];

const NOTE: Binary = {
  resourceType: 'Binary',
  id: 'note-1',
  contentType: 'text/plain',
  data: Buffer.from('Patient doing well.').toString('base64'),
};

const DAVID_RECORD: Resource[] = [
  DAVID,
  ...DAVID_VITALS,
  ...DAVID_LABS,
  ...DAVID_CONDITIONS,
  {
    resourceType: 'MedicationRequest',
    id: 'MR-1',
    status: 'active',
    intent: 'order',
    subject: { reference: 'Patient/428946492' },
    medicationReference: { reference: 'Medication/med-1' },
    authoredOn: '2020-02-02',
  },
  {
    resourceType: 'DocumentReference',
    id: 'DR-1',
    status: 'current',
    subject: { reference: 'Patient/428946492' },
    content: [{ attachment: { contentType: 'text/plain', url: 'Binary/note-1' } }],
  },
  NOTE,
  provenance('prov-PL-1', 'Condition/PL-1'),
  provenance('prov-ED-2', 'Condition/ED-2'),
  provenance('prov-MR-1', 'MedicationRequest/MR-1'),
];

/** Anna, the other documented patient: her data must never reach David's token. */
export const ANNA_ID = '428946523';

const ANNA_RECORD: Resource[] = [
  {
    resourceType: 'Patient',
    id: ANNA_ID,
    name: [{ family: 'Smith', given: ['Anna'] }],
    gender: 'female',
  },
  condition('PL-9', ANNA_ID, 'problem-list-item', '2015-01-01'),
  observation('VS-ANNA', ANNA_ID, 'vital-signs', '8867-4', '2019-05-03'),
];

/** A small, hand-written {@link Dataset} with known values, for tests of search semantics. */
export function fixtureDataset(): Dataset {
  const records = new Map<string, readonly Resource[]>([
    [DAVID.id ?? '', DAVID_RECORD],
    [ANNA_ID, ANNA_RECORD],
  ]);
  return {
    practiceId: '1673497',
    accounts: [],
    patientIds: [...records.keys()],
    shared: [
      {
        resourceType: 'Organization',
        id: '1673497',
        name: 'Smith Family Practice',
        address: [{ city: 'Solana Beach', state: 'TX' }],
      },
      { resourceType: 'Organization', id: 'org-2', name: 'Élan Clinic' },
      { resourceType: 'Practitioner', id: 'pr-1', name: [{ family: 'Jones' }] },
      {
        resourceType: 'PractitionerRole',
        id: 'role-1',
        practitioner: { reference: 'Practitioner/pr-1' },
      },
      {
        resourceType: 'Medication',
        id: 'med-1',
        code: {
          coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '197361' }],
        },
      },
      { resourceType: 'Person', id: '4007449', name: [{ family: 'Smith', given: ['David'] }] },
      { resourceType: 'Person', id: '4007450', name: [{ family: 'Smith', given: ['Anna'] }] },
    ],
    record: (patientId) => records.get(patientId),
    ownerOf: (id) =>
      [...records].find(([, resources]) => resources.some((resource) => resource.id === id))?.[0],
  };
}
