import { describe, expect, test } from 'vitest';
import type { Encounter, Device, Resource } from '@medplum/fhirtypes';
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

  test.each<[string, Resource]>([
    [
      'a fill by when it was handed over',
      {
        resourceType: 'MedicationDispense',
        status: 'completed',
        medicationCodeableConcept: { text: 'lisinopril' },
        whenPrepared: '2021-12-31T21:00:00Z',
        whenHandedOver: '2022-01-01T00:36:00Z',
      },
    ],
    [
      'an administration by when the dose was given',
      {
        resourceType: 'MedicationAdministration',
        status: 'completed',
        medicationCodeableConcept: { text: 'influenza vaccine' },
        subject: { reference: 'Patient/1' },
        effectiveDateTime: '2022-01-01T10:15:00Z',
      },
    ],
    [
      'a pending order by when it is planned',
      {
        resourceType: 'ServiceRequest',
        status: 'active',
        intent: 'order',
        subject: { reference: 'Patient/1' },
        authoredOn: '2021-12-01T09:00:00Z',
        occurrenceDateTime: '2022-01-01T09:00:00Z',
      },
    ],
    [
      'a sample by when it was collected',
      {
        resourceType: 'Specimen',
        receivedTime: '2021-12-31T23:00:00Z',
        collection: { collectedDateTime: '2022-01-01T08:00:00Z' },
      },
    ],
    [
      'a policy by its period',
      {
        resourceType: 'Coverage',
        status: 'active',
        beneficiary: { reference: 'Patient/1' },
        payor: [{ reference: 'Organization/1' }],
        period: { start: '2022-01-01' },
      },
    ],
  ])('dates %s', (_what, resource) => {
    expect(withinDates(resource, parseDateCriteria(['ge2022-01-01']))).toBe(true);
    expect(withinDates(resource, parseDateCriteria(['lt2022-01-01']))).toBe(false);
  });

  test('keeps a policy still in force after its start', () => {
    const coverage: Resource = {
      resourceType: 'Coverage',
      status: 'active',
      beneficiary: { reference: 'Patient/1' },
      payor: [{ reference: 'Organization/1' }],
      period: { start: '2019-01-01' },
    };
    expect(withinDates(coverage, parseDateCriteria(['ge2024']))).toBe(true);
  });
});
