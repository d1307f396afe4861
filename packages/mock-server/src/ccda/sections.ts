import type { Observation, Resource } from '@medplum/fhirtypes';

/** The sections of the Continuity of Care Document, in the order the document lists them. */
export type SectionKey =
  | 'allergies'
  | 'medications'
  | 'problems'
  | 'procedures'
  | 'results'
  | 'vitalSigns'
  | 'immunizations'
  | 'socialHistory'
  | 'encounters'
  | 'planOfTreatment'
  | 'goals'
  | 'careTeam'
  | 'devices'
  | 'payers'
  | 'notes';

/** One section: its LOINC code and title (C-CDA R2.1 section templates), and what it holds. */
export interface SectionDefinition {
  key: SectionKey;
  loinc: string;
  title: string;
  /** Whether a resource of the record is an entry of this section. */
  holds(resource: Resource): boolean;
}

const observationCategory = (resource: Observation): string | undefined =>
  resource.category?.[0]?.coding?.[0]?.code;

const isObservationOf =
  (category: string) =>
  (resource: Resource): boolean =>
    resource.resourceType === 'Observation' && observationCategory(resource) === category;

const isType =
  (...types: string[]) =>
  (resource: Resource): boolean =>
    types.includes(resource.resourceType);

/**
 * The CCD's sections (C-CDA R2.1 Vol. 2, 3.1 "Continuity of Care Document"): the required ones
 * (allergies, medications, problems, results, social history, vital signs) and the optional ones
 * a patient-access record fills (the Payers section from the Coverages).
 * @see https://www.hl7.org/ccdasearch/templates/2.16.840.1.113883.10.20.22.1.2.html
 */
export const SECTIONS: readonly SectionDefinition[] = [
  {
    key: 'allergies',
    loinc: '48765-2',
    title: 'Allergies and Intolerances',
    holds: isType('AllergyIntolerance'),
  },
  {
    key: 'medications',
    loinc: '10160-0',
    title: 'Medications',
    holds: isType('MedicationRequest', 'MedicationAdministration'),
  },
  { key: 'problems', loinc: '11450-4', title: 'Problems', holds: isType('Condition') },
  { key: 'procedures', loinc: '47519-4', title: 'Procedures', holds: isType('Procedure') },
  {
    key: 'results',
    loinc: '30954-2',
    title: 'Results',
    holds: (resource) =>
      isObservationOf('laboratory')(resource) ||
      (resource.resourceType === 'DiagnosticReport' &&
        resource.category?.some((category) =>
          category.coding?.some((coding) => coding.code === 'LAB'),
        ) === true),
  },
  {
    key: 'vitalSigns',
    loinc: '8716-3',
    title: 'Vital Signs',
    holds: isObservationOf('vital-signs'),
  },
  { key: 'immunizations', loinc: '11369-6', title: 'Immunizations', holds: isType('Immunization') },
  {
    key: 'socialHistory',
    loinc: '29762-2',
    title: 'Social History',
    holds: isObservationOf('social-history'),
  },
  { key: 'encounters', loinc: '46240-8', title: 'Encounters', holds: isType('Encounter') },
  {
    key: 'planOfTreatment',
    loinc: '18776-5',
    title: 'Plan of Treatment',
    holds: isType('CarePlan', 'ServiceRequest'),
  },
  { key: 'goals', loinc: '61146-7', title: 'Goals', holds: isType('Goal') },
  { key: 'careTeam', loinc: '85847-2', title: 'Care Teams', holds: isType('CareTeam') },
  { key: 'devices', loinc: '46264-8', title: 'Medical Equipment', holds: isType('Device') },
  { key: 'payers', loinc: '48768-6', title: 'Payers', holds: isType('Coverage') },
  { key: 'notes', loinc: '11488-4', title: 'Notes', holds: isType('DocumentReference') },
];
