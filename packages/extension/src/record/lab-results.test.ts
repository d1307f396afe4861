// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest';
import { labObservations, labReport } from '../test-support/fhir-fixtures.js';
import { abnormalFlag, labResultsSection } from './lab-results.js';

const context = { openAttachment: async () => undefined };

describe('lab results', () => {
  test('groups results under the report that lists them', () => {
    const [report] = labResultsSection.render([labReport, ...labObservations], context);
    const rows = [...(report?.querySelectorAll('tbody tr') ?? [])].map(
      (row) => row.querySelector('th')?.textContent,
    );
    expect(rows).toEqual(['LDL cholesterol', 'HDL cholesterol']);
  });

  test('shows value, unit, reference range and the lab’s flag', () => {
    const [report] = labResultsSection.render([labReport, ...labObservations], context);
    const cells = [...(report?.querySelector('tbody tr')?.querySelectorAll('td') ?? [])].map(
      (cell) => cell.textContent,
    );
    expect(cells).toEqual(['162 mg/dL', '≤ 130 mg/dL', 'High']);
  });

  test('flags a value outside its reference range when the lab sent no interpretation', () => {
    expect(abnormalFlag(labObservations[2]!)).toBe('High');
    expect(abnormalFlag(labObservations[1]!)).toBeUndefined();
  });

  test('lists results that no report names apart from the reports', () => {
    const items = labResultsSection.render([labReport, ...labObservations], context);
    expect(items).toHaveLength(2);
    expect(items[1]?.dataset.testid).toBeUndefined();
    expect(items[1]?.querySelector('tbody th')?.textContent).toBe('Glucose');
  });
});
