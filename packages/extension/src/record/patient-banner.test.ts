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
});
