// @vitest-environment happy-dom
import { describe, expect, test, vi } from 'vitest';
import { RECORD } from '../test-support/fhir-fixtures.js';
import type { SectionContext } from './section.js';
import { SECTIONS } from './sections.js';

const context: SectionContext = { openAttachment: vi.fn(async () => undefined) };

/** The headline each fixture must produce, by section. */
const TITLES: Readonly<Record<string, string>> = {
  Condition: 'Essential hypertension',
  MedicationRequest: 'Lisinopril 10 mg tablet',
  AllergyIntolerance: 'Penicillin',
  Immunization: 'Influenza, seasonal',
  Observation: 'Blood pressure',
  DiagnosticReport: 'Lipid panel',
  Procedure: 'Appendectomy',
  Encounter: 'Office visit',
  CareTeam: 'Care team',
  CarePlan: 'Blood pressure plan',
  Goal: 'Lower blood pressure below 130/80',
  Device: 'Cardiac pacemaker',
  DocumentReference: 'Visit summary',
};

describe('record sections', () => {
  test.each(SECTIONS.map((section) => [section.resourceType, section] as const))(
    'renders each %s entry as one item with its title',
    (resourceType, section) => {
      const items = section.render([...(RECORD[resourceType] ?? [])], context);
      const own = (RECORD[resourceType] ?? []).filter((item) => item.resourceType === resourceType);
      expect(items.filter((item) => item.dataset.testid === `item-${resourceType}`)).toHaveLength(
        own.length,
      );
      expect(items.map((item) => item.querySelector('.item-title')?.textContent)).toContain(
        TITLES[resourceType],
      );
    },
  );

  test('covers every record type the issue lists', () => {
    expect(SECTIONS.map((section) => section.resourceType)).toEqual(Object.keys(TITLES));
  });
});
