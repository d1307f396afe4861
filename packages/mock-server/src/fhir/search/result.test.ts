import { describe, expect, test } from 'vitest';
import type { Observation, Patient } from '@medplum/fhirtypes';
import { OperationOutcomeError } from '../outcomes.js';
import { RESOURCE_DEFINITIONS } from '../search-parameters.js';
import { parseCount } from './query.js';
import { parseElements, parseSort, parseSummary, parseTotal, subsetResource } from './result.js';

function diagnosticsOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof OperationOutcomeError) return error.outcome.issue?.[0]?.diagnostics;
    throw error;
  }
  return undefined;
}

const observation = RESOURCE_DEFINITIONS.get('Observation')!;

describe("HAPI's 400 messages for result parameters", () => {
  test('_sort names an unknown parameter in BaseStorageDao.invalidSortParameter words', () => {
    expect(diagnosticsOf(() => parseSort(observation, '-foo'))).toBe(
      'Unknown _sort parameter value "foo" for resource type "Observation" (Note: sort parameters values must use a valid Search Parameter).  Valid values for this search are: [_id, _lastUpdated, category, code, date, patient, subject]',
    );
  });

  test('_count that is not an integer answers CountParameter\'s "Invalid _count value: x"', () => {
    expect(diagnosticsOf(() => parseCount('1.5'))).toBe('Invalid _count value: 1.5');
  });

  test('_summary=text with another value answers SummaryEnumParameter.cantCombineText', () => {
    expect(diagnosticsOf(() => parseSummary(['text', 'true']))).toBe(
      'Can not combine _summary=text with other values for _summary',
    );
  });
});

describe('values HAPI ignores rather than refuses', () => {
  test('an unknown _summary value is ignored', () => {
    expect(parseSummary(['bogus'])).toBeUndefined();
  });

  test('_summary values are tried again lower-cased', () => {
    expect(parseSummary(['TRUE'])).toBe('true');
  });

  test('an unknown _total value is ignored', () => {
    expect(parseTotal('maybe')).toBeUndefined();
  });

  test('_elements skips names with a dot and keeps the others', () => {
    expect(parseElements('Observation.code,value[x],,status')).toEqual(['value[x]', 'status']);
    expect(parseElements('Observation.code')).toBeUndefined();
  });
});

describe('subsetResource', () => {
  const patient: Patient = {
    resourceType: 'Patient',
    id: 'p1',
    meta: { lastUpdated: '2024-01-01T00:00:00Z' },
    text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">x</div>' },
    extension: [{ url: 'http://example.org/x', valueString: 'y' }],
    name: [{ family: 'Smith', given: ['David'] }],
    birthDate: '1970-01-01',
    _birthDate: { extension: [{ url: 'http://example.org/t', valueDateTime: '1970-01-01' }] },
    deceasedBoolean: false,
    maritalStatus: { text: 'Married' },
    contact: [{ name: { family: 'Smith' } }],
    link: [{ other: { reference: 'Patient/p2' }, type: 'seealso' }],
  } as Patient;

  test('_summary=true keeps what R4 flags isSummary, nested backbone elements included', () => {
    const summary = subsetResource(patient, { mode: 'true' }) as unknown as Record<string, unknown>;
    expect(Object.keys(summary).sort()).toEqual([
      '_birthDate',
      'birthDate',
      'deceasedBoolean',
      'id',
      'link',
      'meta',
      'name',
      'resourceType',
    ]);
    expect(summary.link).toEqual(patient.link);
  });

  test('_summary=true tags the resource SUBSETTED', () => {
    const summary = subsetResource(patient, { mode: 'true' });
    expect(summary.meta?.tag?.map((tag) => tag.code)).toEqual(['SUBSETTED']);
  });

  test('_summary=text keeps the narrative and the mandatory elements of the R4 definition', () => {
    const vital: Observation = {
      resourceType: 'Observation',
      id: 'VS-1',
      text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">x</div>' },
      status: 'final',
      code: { text: 'Heart rate' },
      effectiveDateTime: '2024-01-01',
      valueQuantity: { value: 60 },
    };
    const text = subsetResource(vital, { mode: 'text' }) as unknown as Record<string, unknown>;
    expect(Object.keys(text).sort()).toEqual([
      'code',
      'id',
      'meta',
      'resourceType',
      'status',
      'text',
    ]);
  });
});
