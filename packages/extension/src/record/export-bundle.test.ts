import { describe, expect, test } from 'vitest';
import { condition, patient } from '../test-support/fhir-fixtures.js';
import { recordBundle } from './export-bundle.js';

describe('recordBundle', () => {
  test('builds a collection Bundle with absolute fullUrls, each resource once', () => {
    const bundle = recordBundle(
      [patient, condition, condition],
      'http://127.0.0.1:8765/api/fhir/r4/',
      new Date('2026-01-01T00:00:00Z'),
    );
    expect(bundle.type).toBe('collection');
    expect(bundle.timestamp).toBe('2026-01-01T00:00:00.000Z');
    expect(bundle.entry?.map((entry) => entry.fullUrl)).toEqual([
      'http://127.0.0.1:8765/api/fhir/r4/Patient/428946492',
      'http://127.0.0.1:8765/api/fhir/r4/Condition/c1',
    ]);
  });
});
