// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest';
import { vitalSigns } from '../test-support/fhir-fixtures.js';
import { vitalSignsSection } from './vital-signs.js';

describe('vital signs', () => {
  test('draws trend charts for blood pressure, weight and BMI', () => {
    const summary = vitalSignsSection.summary?.(vitalSigns);
    const titles = [...(summary?.querySelectorAll('.trend-title') ?? [])].map(
      (node) => node.textContent,
    );
    expect(titles).toEqual(['Blood pressure', 'Weight', 'BMI']);
  });

  test('plots systolic and diastolic as two lines with a point per reading', () => {
    const chart = vitalSignsSection.summary?.(vitalSigns)?.querySelector('svg');
    expect(chart?.querySelectorAll('polyline')).toHaveLength(2);
    expect(chart?.querySelectorAll('circle')).toHaveLength(4);
    expect(chart?.getAttribute('aria-label')).toBe(
      'Blood pressure: latest systolic 124, diastolic 80 mmHg; range 80 to 132 over 4 readings.',
    );
  });

  test('prints a blood pressure reading as systolic over diastolic, newest first', () => {
    const [newest] = vitalSignsSection.render(vitalSigns, {
      openAttachment: async () => undefined,
    });
    expect(newest?.querySelector('dd')?.textContent).toBe('124/80 mmHg');
  });

  test('keeps only vital signs when the server ignores the category filter', async () => {
    const source = {
      search: async () => [
        ...vitalSigns,
        {
          resourceType: 'Observation' as const,
          id: 'lab',
          status: 'final' as const,
          code: { text: 'Glucose' },
        },
      ],
      read: async () => Promise.reject(new Error('unused')),
    };
    expect(await vitalSignsSection.load(source, '428946492')).toHaveLength(vitalSigns.length);
  });
});

describe('vital-sign units', () => {
  test('prints UCUM codes the way people write them', () => {
    const [item] = vitalSignsSection.render(
      [
        {
          resourceType: 'Observation',
          id: 't',
          status: 'final',
          code: { text: 'Body temperature' },
          effectiveDateTime: '2025-01-01T00:00:00Z',
          valueQuantity: { value: 36.9, unit: 'Cel' },
        },
      ],
      { openAttachment: async () => undefined },
    );
    expect(item?.querySelector('dd')?.textContent).toBe('36.9 °C');
  });
});
