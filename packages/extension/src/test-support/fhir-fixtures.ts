import type {
  AllergyIntolerance,
  CarePlan,
  CareTeam,
  Condition,
  Coverage,
  Device,
  DiagnosticReport,
  DocumentReference,
  Encounter,
  Goal,
  Immunization,
  Medication,
  MedicationAdministration,
  MedicationDispense,
  MedicationRequest,
  Observation,
  Patient,
  Procedure,
  Resource,
  ServiceRequest,
  Specimen,
} from '@medplum/fhirtypes';

const subject = { reference: 'Patient/428946492' };
const loinc = (code: string, display: string) => ({
  coding: [{ system: 'http://loinc.org', code, display }],
  text: display,
});
const vitalCategory = [
  {
    coding: [
      { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' },
    ],
  },
];
const labCategory = [
  {
    coding: [
      { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' },
    ],
  },
];

/** David Smith as NextGen's guide shows him (abridged). */
export const patient: Patient = {
  resourceType: 'Patient',
  id: '428946492',
  name: [{ use: 'official', family: 'SMITH', given: ['DAVID'] }],
  gender: 'male',
  birthDate: '1996-11-02',
  identifier: [
    {
      type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] },
      value: 'HF428946492',
    },
  ],
};

function bloodPressure(id: string, date: string, systolic: number, diastolic: number): Observation {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    category: vitalCategory,
    code: loinc('85354-9', 'Blood pressure'),
    subject,
    effectiveDateTime: date,
    component: [
      { code: loinc('8480-6', 'Systolic'), valueQuantity: { value: systolic, unit: 'mm[Hg]' } },
      { code: loinc('8462-4', 'Diastolic'), valueQuantity: { value: diastolic, unit: 'mm[Hg]' } },
    ],
  };
}

function single(
  id: string,
  code: string,
  display: string,
  date: string,
  value: number,
  unit: string,
): Observation {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    category: vitalCategory,
    code: loinc(code, display),
    subject,
    effectiveDateTime: date,
    valueQuantity: { value, unit },
  };
}

/** Vital signs over two visits: blood pressure, weight and BMI. */
export const vitalSigns: Observation[] = [
  bloodPressure('bp-1', '2025-01-10T09:00:00Z', 132, 86),
  bloodPressure('bp-2', '2025-06-10T09:00:00Z', 124, 80),
  single('wt-1', '29463-7', 'Body weight', '2025-01-10T09:00:00Z', 82.5, 'kg'),
  single('wt-2', '29463-7', 'Body weight', '2025-06-10T09:00:00Z', 80.1, 'kg'),
  single('bmi-1', '39156-5', 'BMI', '2025-01-10T09:00:00Z', 26.9, 'kg/m2'),
];

/** A lipid panel: one result flagged high by the lab, one above its range without a flag. */
export const labObservations: Observation[] = [
  {
    resourceType: 'Observation',
    id: 'ldl',
    status: 'final',
    category: labCategory,
    code: loinc('18262-6', 'LDL cholesterol'),
    subject,
    valueQuantity: { value: 162, unit: 'mg/dL' },
    referenceRange: [{ high: { value: 130, unit: 'mg/dL' } }],
    interpretation: [{ coding: [{ code: 'H' }] }],
  },
  {
    resourceType: 'Observation',
    id: 'hdl',
    status: 'final',
    category: labCategory,
    code: loinc('2085-9', 'HDL cholesterol'),
    subject,
    valueQuantity: { value: 52, unit: 'mg/dL' },
    referenceRange: [{ low: { value: 40, unit: 'mg/dL' }, high: { value: 90, unit: 'mg/dL' } }],
  },
  {
    resourceType: 'Observation',
    id: 'glucose',
    status: 'final',
    category: labCategory,
    code: loinc('2345-7', 'Glucose'),
    subject,
    valueQuantity: { value: 130, unit: 'mg/dL' },
    referenceRange: [{ low: { value: 70, unit: 'mg/dL' }, high: { value: 99, unit: 'mg/dL' } }],
  },
];

export const labReport: DiagnosticReport = {
  resourceType: 'DiagnosticReport',
  id: 'lipids',
  status: 'final',
  code: loinc('57698-3', 'Lipid panel'),
  subject,
  effectiveDateTime: '2025-06-10T09:00:00Z',
  result: [{ reference: 'Observation/ldl' }, { reference: 'Observation/hdl' }],
  basedOn: [{ reference: 'ServiceRequest/sr1' }],
  specimen: [{ reference: 'Specimen/sp1' }],
};

export const specimen: Specimen = {
  resourceType: 'Specimen',
  id: 'sp1',
  subject,
  type: { text: 'Venous blood' },
  collection: { collectedDateTime: '2025-06-10T08:30:00Z' },
};

const serviceRequest: ServiceRequest = {
  resourceType: 'ServiceRequest',
  id: 'sr1',
  status: 'completed',
  intent: 'order',
  subject,
  code: { text: 'Lipid panel order' },
  category: [{ text: 'Laboratory procedure' }],
  authoredOn: '2025-06-03',
  requester: { display: 'Dr. Jane Doe' },
};

export const condition: Condition = {
  resourceType: 'Condition',
  id: 'c1',
  subject,
  code: { text: 'Essential hypertension' },
  clinicalStatus: { coding: [{ code: 'active' }] },
  onsetDateTime: '2019-03-01',
};

export const medication: Medication = {
  resourceType: 'Medication',
  id: 'm1',
  code: { text: 'Lisinopril 10 mg tablet' },
};

export const medicationRequest: MedicationRequest = {
  resourceType: 'MedicationRequest',
  id: 'mr1',
  status: 'active',
  intent: 'order',
  subject,
  medicationReference: { reference: 'Medication/m1' },
  dosageInstruction: [{ text: 'One tablet by mouth daily' }],
  authoredOn: '2024-02-01',
};

const medicationDispense: MedicationDispense = {
  resourceType: 'MedicationDispense',
  id: 'md1',
  status: 'completed',
  subject,
  medicationReference: { reference: 'Medication/m1' },
  authorizingPrescription: [{ reference: 'MedicationRequest/mr1' }],
  quantity: { value: 30, unit: 'tablet' },
  daysSupply: { value: 30, unit: 'days' },
  whenHandedOver: '2024-02-02T10:00:00Z',
};

const medicationAdministration: MedicationAdministration = {
  resourceType: 'MedicationAdministration',
  id: 'ma1',
  status: 'completed',
  subject,
  medicationCodeableConcept: { text: 'Influenza vaccine 0.5 mL' },
  effectiveDateTime: '2025-10-01T09:00:00Z',
  request: { reference: 'MedicationRequest/mr2' },
  dosage: { dose: { value: 0.5, unit: 'mL' } },
};

const vaccineRequest: MedicationRequest = {
  resourceType: 'MedicationRequest',
  id: 'mr2',
  status: 'completed',
  intent: 'order',
  subject,
  medicationCodeableConcept: { text: 'Influenza vaccine 0.5 mL' },
  dosageInstruction: [{ text: '0.5 mL intramuscular, once' }],
  authoredOn: '2025-10-01',
};

export const coverage: Coverage = {
  resourceType: 'Coverage',
  id: 'cov1',
  status: 'active',
  beneficiary: subject,
  payor: [{ reference: 'Organization/p1', display: 'Blue Shield of Example' }],
  identifier: [{ type: { coding: [{ code: 'MB' }] }, value: 'XYZ123456-01' }],
  subscriberId: 'XYZ123456',
  class: [{ type: { coding: [{ code: 'plan' }] }, value: 'PPO-GOLD', name: 'PPO Gold' }],
};

export const allergy: AllergyIntolerance = {
  resourceType: 'AllergyIntolerance',
  id: 'a1',
  patient: subject,
  code: { text: 'Penicillin' },
  criticality: 'high',
  reaction: [{ manifestation: [{ text: 'Hives' }] }],
};

export const immunization: Immunization = {
  resourceType: 'Immunization',
  id: 'i1',
  status: 'completed',
  patient: subject,
  vaccineCode: { text: 'Influenza, seasonal' },
  occurrenceDateTime: '2025-10-01',
};

export const procedure: Procedure = {
  resourceType: 'Procedure',
  id: 'p1',
  status: 'completed',
  subject,
  code: { text: 'Appendectomy' },
  performedDateTime: '2015-07-04',
};

export const encounter: Encounter = {
  resourceType: 'Encounter',
  id: 'e1',
  status: 'finished',
  class: { code: 'AMB', display: 'ambulatory' },
  type: [{ text: 'Office visit' }],
  subject,
  period: { start: '2025-06-10T09:00:00Z', end: '2025-06-10T09:30:00Z' },
};

export const careTeam: CareTeam = {
  resourceType: 'CareTeam',
  id: 'ct1',
  status: 'active',
  subject,
  participant: [
    { member: { display: 'Dr. Jane Doe' }, role: [{ text: 'Primary care physician' }] },
  ],
};

export const carePlan: CarePlan = {
  resourceType: 'CarePlan',
  id: 'cp1',
  status: 'active',
  intent: 'plan',
  subject,
  title: 'Blood pressure plan',
  activity: [{ detail: { status: 'in-progress', description: 'Walk 30 minutes a day' } }],
};

export const goal: Goal = {
  resourceType: 'Goal',
  id: 'g1',
  lifecycleStatus: 'active',
  subject,
  description: { text: 'Lower blood pressure below 130/80' },
  target: [{ dueDate: '2026-06-01' }],
};

export const device: Device = {
  resourceType: 'Device',
  id: 'd1',
  status: 'active',
  patient: subject,
  type: { text: 'Cardiac pacemaker' },
  udiCarrier: [{ deviceIdentifier: '00643169007222' }],
};

export const documentReference: DocumentReference = {
  resourceType: 'DocumentReference',
  id: 'doc1',
  status: 'current',
  subject,
  type: { text: 'Visit summary' },
  date: '2025-06-10T10:00:00Z',
  content: [{ attachment: { contentType: 'text/plain', url: 'Binary/b1', title: 'Summary' } }],
};

/** What each section loads for David, by section resource type. */
export const RECORD: Readonly<Record<string, Resource[]>> = {
  Condition: [condition],
  MedicationRequest: [medicationRequest, medication],
  MedicationDispense: [medicationDispense, medicationRequest, medication],
  MedicationAdministration: [medicationAdministration, vaccineRequest],
  AllergyIntolerance: [allergy],
  Immunization: [immunization],
  Observation: vitalSigns,
  DiagnosticReport: [labReport, ...labObservations, specimen],
  ServiceRequest: [serviceRequest, labReport],
  Procedure: [procedure],
  Encounter: [encounter],
  CareTeam: [careTeam],
  CarePlan: [carePlan],
  Goal: [goal],
  Device: [device],
  DocumentReference: [documentReference],
  Coverage: [coverage],
};
