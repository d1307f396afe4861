// @vitest-environment happy-dom
import type { Condition, Patient } from '@medplum/fhirtypes';
import { describe, expect, test } from 'vitest';
import { conditionSection } from './clinical-sections.js';
import { patientBanner } from './patient-banner.js';

const HOSTILE = '<img src=x onerror="window.pwned=1">';

describe('server text', () => {
  test('renders markup in a patient name as inert text', () => {
    const patient: Patient = { resourceType: 'Patient', id: 'x', name: [{ text: HOSTILE }] };
    const banner = patientBanner(patient);
    expect(banner.querySelector('img')).toBeNull();
    expect(banner.querySelector('[data-testid="patient-name"]')?.textContent).toBe(HOSTILE);
  });

  test('renders markup in a condition note and title as inert text', () => {
    const condition: Condition = {
      resourceType: 'Condition',
      id: 'c',
      subject: { reference: 'Patient/x' },
      code: { text: `<script>window.pwned=1</script>` },
      note: [{ text: HOSTILE }],
    };
    const [item] = conditionSection.render([condition], {
      openAttachment: async () => undefined,
    });
    expect(item?.querySelector('img, script')).toBeNull();
    expect(item?.querySelector('.item-notes')?.textContent).toBe(HOSTILE);
    expect(item?.querySelector('.item-title')?.textContent).toBe('<script>window.pwned=1</script>');
  });
});
