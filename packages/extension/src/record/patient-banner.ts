import type { Patient } from '@medplum/fhirtypes';
import { h } from './dom.js';
import { nameText } from './fhir-text.js';

/**
 * The patient's medical record number: the identifier typed `MR` (HL7 v2 table 0203), as
 * NextGen's Patient carries it.
 * @see https://terminology.hl7.org/CodeSystem-v2-0203.html
 */
function medicalRecordNumber(patient: Patient): string | undefined {
  return patient.identifier?.find((identifier) =>
    identifier.type?.coding?.some((coding) => coding.code === 'MR'),
  )?.value;
}

const SEX: Readonly<Record<string, string>> = {
  male: 'Male',
  female: 'Female',
  other: 'Other',
  unknown: 'Unknown',
};

/**
 * The banner identifying whose record this is: name, birth date, sex and MRN, and, when the
 * record is a dependent's, who signed in to see it (`signedInAs`).
 */
export function patientBanner(patient: Patient, signedInAs?: string): HTMLElement {
  const fact = (label: string, value: string | undefined, testId?: string) =>
    value
      ? h(
          'div',
          { class: 'banner-fact' },
          h('dt', {}, label),
          h('dd', { 'data-testid': testId }, value),
        )
      : null;
  return h(
    'section',
    { class: 'patient-banner', 'aria-label': 'Patient' },
    h(
      'h2',
      { class: 'patient-name', 'data-testid': 'patient-name' },
      nameText(patient.name) ?? 'Unnamed patient',
    ),
    h(
      'dl',
      { class: 'banner-facts' },
      fact('Born', patient.birthDate, 'patient-birthdate'),
      fact('Sex', patient.gender ? SEX[patient.gender] : undefined, 'patient-sex'),
      fact('MRN', medicalRecordNumber(patient), 'patient-mrn'),
    ),
    signedInAs
      ? h(
          'p',
          { class: 'record-owner', 'data-testid': 'record-owner' },
          `${nameText(patient.name) ?? 'This patient'}’s record, seen by `,
          h('span', { 'data-testid': 'signed-in-as' }, signedInAs),
          ' (signed in).',
        )
      : null,
  );
}
