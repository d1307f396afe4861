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
  MedicationDispense: 'Lisinopril 10 mg tablet',
  MedicationAdministration: 'Influenza vaccine 0.5 mL',
  AllergyIntolerance: 'Penicillin',
  Immunization: 'Influenza, seasonal',
  Observation: 'Blood pressure',
  DiagnosticReport: 'Lipid panel',
  ServiceRequest: 'Lipid panel order',
  Procedure: 'Appendectomy',
  Encounter: 'Office visit',
  CareTeam: 'Care team',
  CarePlan: 'Blood pressure plan',
  Goal: 'Lower blood pressure below 130/80',
  Device: 'Cardiac pacemaker',
  DocumentReference: 'Visit summary',
  Coverage: 'Blue Shield of Example',
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

  const rendered = (resourceType: string) =>
    SECTIONS.find((section) => section.resourceType === resourceType)!
      .render([...(RECORD[resourceType] ?? [])], context)
      .map((item) => item.textContent ?? '')
      .join('\n');

  test('shows a dispensed medication with the prescription it filled', () => {
    expect(rendered('MedicationDispense')).toContain(
      'Lisinopril 10 mg tablet — One tablet by mouth daily — prescribed 2024-02-01',
    );
  });

  test('shows an administered medication with the order it carried out', () => {
    expect(rendered('MedicationAdministration')).toContain('0.5 mL intramuscular, once');
  });

  test('shows an order with the report that resulted from it', () => {
    expect(rendered('ServiceRequest')).toContain('Lipid panel — ');
  });

  test('shows the specimen beside its lab report', () => {
    expect(rendered('DiagnosticReport')).toContain('Venous blood, collected Jun 10, 2025');
  });

  test('shows the payer, plan and member id of a coverage', () => {
    const text = rendered('Coverage');
    expect(text).toContain('Blue Shield of Example');
    expect(text).toContain('PPO Gold (PPO-GOLD)');
    expect(text).toContain('XYZ123456-01');
  });
});
