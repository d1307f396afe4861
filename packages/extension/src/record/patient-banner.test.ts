// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest';
import { patient } from '../test-support/fhir-fixtures.js';
import { patientBanner } from './patient-banner.js';

describe('patientBanner', () => {
  test('shows the name, birth date, sex and medical record number', () => {
    const banner = patientBanner(patient);
    const text = (testId: string) => banner.querySelector(`[data-testid="${testId}"]`)?.textContent;
    expect(text('patient-name')).toBe('DAVID SMITH');
    expect(text('patient-birthdate')).toBe('1996-11-02');
    expect(text('patient-sex')).toBe('Male');
    expect(text('patient-mrn')).toBe('HF428946492');
  });

  test('says whose record it is and who signed in when they differ', () => {
    const banner = patientBanner(patient, 'Anna Smith');
    expect(banner.querySelector('[data-testid="record-owner"]')?.textContent).toBe(
      'DAVID SMITH’s record, seen by Anna Smith (signed in).',
    );
    expect(banner.querySelector('[data-testid="signed-in-as"]')?.textContent).toBe('Anna Smith');
  });

  test('names nobody else on the account holder’s own record', () => {
    expect(patientBanner(patient).querySelector('[data-testid="record-owner"]')).toBeNull();
  });
});
