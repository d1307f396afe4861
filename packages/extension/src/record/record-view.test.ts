// @vitest-environment happy-dom
import { FhirError } from '@patient-access/auth-core';
import { describe, expect, test } from 'vitest';
import { RECORD } from '../test-support/fhir-fixtures.js';
import { renderSections } from './record-view.js';
import type { RecordSource } from './section.js';
import { sectionFor } from './sections.js';

const refused = new FhirError(
  'Bad Request',
  { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid' }] },
  { status: 400 },
);

const source: RecordSource = {
  async search(type) {
    if (type === 'AllergyIntolerance') throw refused;
    if (type === 'Immunization') return [];
    return (RECORD[type] ?? []).filter((resource) => resource.resourceType === type);
  },
  read: async () => Promise.reject(refused),
};

function render(grantedScope: string) {
  const root = document.createElement('div');
  const sections = ['Condition', 'AllergyIntolerance', 'Immunization', 'Procedure'].map((type) =>
    sectionFor(type)!,
  );
  const view = renderSections(root, {
    source,
    patientId: '428946492',
    grantedScope,
    sections,
    context: { openAttachment: async () => undefined },
  });
  const section = (type: string) =>
    root.querySelector<HTMLElement>(`[data-testid="section-${type}"]`)!;
  return { root, view, section };
}

const ALL =
  'patient/Condition.read patient/AllergyIntolerance.read patient/Immunization.read patient/Procedure.read';

describe('renderSections', () => {
  test('shows a progress state while a section loads', () => {
    const { section } = render(ALL);
    expect(section('Condition').getAttribute('aria-busy')).toBe('true');
    expect(section('Condition').textContent).toContain('Loading');
  });

  test('shows a refused type’s error in its own section only', async () => {
    const { view, section } = render(ALL);
    await view.settled;
    expect(section('AllergyIntolerance').dataset.state).toBe('error');
    expect(
      section('AllergyIntolerance').querySelector('[data-testid="section-error"]')?.textContent,
    ).toContain('The record server answered with an error (400).');
    expect(section('Condition').querySelectorAll('[data-testid="item-Condition"]')).toHaveLength(1);
    expect(section('Procedure').dataset.state).toBe('loaded');
  });

  test('shows a 401 that withholds a type as not shared, not as an error', async () => {
    const withheld = new FhirError(
      'Unauthorized',
      {
        resourceType: 'OperationOutcome',
        issue: [
          {
            severity: 'error',
            code: 'security',
            diagnostics: 'Resource not authorized to be viewed by this user',
          },
        ],
      },
      // As FhirClient builds it from the reply: the OperationOutcome's words, not the token.
      { status: 401, notAuthorized: true },
    );
    const root = document.createElement('div');
    const view = renderSections(root, {
      source: { search: () => Promise.reject(withheld), read: () => Promise.reject(withheld) },
      patientId: 'p',
      grantedScope: 'patient/Condition.read',
      sections: [sectionFor('Condition')!],
      context: { openAttachment: async () => undefined },
    });
    await view.settled;
    const section = root.querySelector<HTMLElement>('[data-testid="section-Condition"]')!;
    expect(section.dataset.state).toBe('not-shared');
    expect(section.textContent).toContain('Not shared with this app.');
  });

  test('shows an expired-session 401 as that section’s error', async () => {
    const expired = new FhirError(
      'Unauthorized',
      { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login' }] },
      { status: 401 },
    );
    const root = document.createElement('div');
    const view = renderSections(root, {
      source: { search: () => Promise.reject(expired), read: () => Promise.reject(expired) },
      patientId: 'p',
      grantedScope: 'patient/Condition.read',
      sections: [sectionFor('Condition')!],
      context: { openAttachment: async () => undefined },
    });
    await view.settled;
    expect(
      root.querySelector<HTMLElement>('[data-testid="section-Condition"]')?.dataset.state,
    ).toBe('error');
  });

  test('counts the rendered entries of a loaded section', async () => {
    const { view, section } = render(ALL);
    await view.settled;
    expect(section('Procedure').dataset.count).toBe(
      String(section('Procedure').querySelectorAll('[data-testid="item-Procedure"]').length),
    );
  });

  test('shows an empty state for a type with no entries', async () => {
    const { view, section } = render(ALL);
    await view.settled;
    expect(section('Immunization').dataset.state).toBe('empty');
    expect(section('Immunization').textContent).toContain('Nothing recorded.');
  });

  test('does not call the server for a type the token does not grant', async () => {
    const { view, section } = render('patient/Condition.read');
    await view.settled;
    expect(section('Procedure').dataset.state).toBe('not-shared');
  });

  test('collects what every section loaded for the export', async () => {
    const { view } = render(ALL);
    await view.settled;
    expect(
      view
        .resources()
        .map((resource) => resource.resourceType)
        .sort(),
    ).toEqual(['Condition', 'Procedure']);
  });
});

describe('renderSections with an item limit', () => {
  test('hides entries past the limit until "Show all" is pressed', async () => {
    const root = document.createElement('div');
    const many = Array.from({ length: 5 }, (_, index) => ({
      resourceType: 'Condition' as const,
      id: `c${index}`,
      subject: { reference: 'Patient/p' },
      code: { text: `Condition ${index}` },
    }));
    const view = renderSections(root, {
      source: { search: async () => many, read: async () => Promise.reject(refused) },
      patientId: 'p',
      grantedScope: 'patient/Condition.read',
      sections: [sectionFor('Condition')!],
      context: { openAttachment: async () => undefined },
      itemLimit: 3,
    });
    await view.settled;
    const visible = () =>
      [...root.querySelectorAll<HTMLElement>('[data-testid="item-Condition"]')].filter(
        (item) => !item.hidden,
      );
    expect(visible()).toHaveLength(3);
    root.querySelector<HTMLButtonElement>('.show-all')?.click();
    expect(visible()).toHaveLength(5);
  });
});
