import { describe, expect, test } from 'vitest';
import type { Encounter, Device } from '@medplum/fhirtypes';
import { OperationOutcomeError } from '../fhir/outcomes.js';
import { parseDateCriteria, withinDates } from './date-filter.js';

const encounter = (start: string, end: string): Encounter => ({
  resourceType: 'Encounter',
  status: 'finished',
  class: { code: 'AMB' },
  period: { start, end },
});

const visit = encounter('2021-04-11T15:24:00Z', '2021-04-11T15:54:00Z');

describe('parseDateCriteria', () => {
  test('reads a bare date as eq', () => {
    expect(parseDateCriteria(['2021'])[0]?.prefix).toBe('eq');
  });

  test.each(['gt', 'lt', 'ge', 'le', 'eq'])('accepts the documented prefix %s', (prefix) => {
    expect(parseDateCriteria([`${prefix}2021-04-11`])[0]?.prefix).toBe(prefix);
  });

  test.each(['ne', 'sa', 'eb', 'ap', 'xx'])(
    'refuses the undocumented prefix %s with a 400',
    (prefix) => {
      expect(() => parseDateCriteria([`${prefix}2021`])).toThrow(OperationOutcomeError);
      try {
        parseDateCriteria([`${prefix}2021`]);
      } catch (error) {
        expect((error as OperationOutcomeError).status).toBe(400);
      }
    },
  );

  test('refuses an impossible date with a 400 naming the parameter', () => {
    try {
      parseDateCriteria(['ge2021-02-30']);
      expect.unreachable();
    } catch (error) {
      expect((error as OperationOutcomeError).outcome.issue?.[0]?.expression).toEqual(['date']);
    }
  });
});

describe('withinDates', () => {
  test('keeps everything without criteria', () => {
    expect(withinDates(visit, [])).toBe(true);
  });

  test('keeps an encounter inside the day asked for', () => {
    expect(withinDates(visit, parseDateCriteria(['2021-04-11']))).toBe(true);
  });

  test('drops an encounter before a ge bound', () => {
    expect(withinDates(visit, parseDateCriteria(['ge2022']))).toBe(false);
  });

  test('requires every criterion of a range', () => {
    expect(withinDates(visit, parseDateCriteria(['ge2021', 'lt2021-04-01']))).toBe(false);
    expect(withinDates(visit, parseDateCriteria(['ge2021', 'lt2022']))).toBe(true);
  });

  test('keeps a resource without a clinical date, such as a device in use', () => {
    const device: Device = { resourceType: 'Device', status: 'active' };
    expect(withinDates(device, parseDateCriteria(['ge2030']))).toBe(true);
  });
});
