// @vitest-environment happy-dom
import { FhirError } from '@patient-access/auth-core';
import { describe, expect, test, vi } from 'vitest';
import { medication, medicationRequest } from '../test-support/fhir-fixtures.js';
import { medicationSection } from './medications.js';

describe('medications', () => {
  test('reads the Medication each request points to', async () => {
    const read = vi.fn(async () => medication);
    const loaded = await medicationSection.load(
      { search: async () => [medicationRequest], read },
      'p',
    );
    expect(read).toHaveBeenCalledWith('Medication', 'm1');
    const [item] = medicationSection.render(loaded, { openAttachment: async () => undefined });
    expect(item?.querySelector('.item-title')?.textContent).toBe('Lisinopril 10 mg tablet');
  });

  test('falls back to the reference when the Medication cannot be read', async () => {
    const read = vi.fn(async () =>
      Promise.reject(
        new FhirError(
          'Forbidden',
          { resourceType: 'OperationOutcome', issue: [] },
          { status: 403 },
        ),
      ),
    );
    const loaded = await medicationSection.load(
      { search: async () => [medicationRequest], read },
      'p',
    );
    const [item] = medicationSection.render(loaded, { openAttachment: async () => undefined });
    expect(item?.querySelector('.item-title')?.textContent).toBe('Medication/m1');
  });
});
