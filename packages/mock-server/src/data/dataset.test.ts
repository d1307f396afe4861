import { readFileSync } from 'node:fs';
import type { Resource } from '@medplum/fhirtypes';
import { describe, expect, test } from 'vitest';
import { accountFromConfig } from './accounts.js';
import { generateDataset, SYNTHETIC_PASSWORD } from './index.js';

const DAVID = '428946492';
const ANNA = '428946523';
const ALEX = '429119572';

function references(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item) => references(item, found));
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === 'reference' && typeof child === 'string') found.push(child);
      else if (key === 'url' && typeof child === 'string' && child.startsWith('Binary/'))
        found.push(child);
      else references(child, found);
    }
  }
  return found;
}

const key = (resource: Resource) => `${resource.resourceType}/${resource.id}`;

describe('generateDataset', () => {
  test('gives byte-identical data for the same seed', () => {
    const first = generateDataset({ extraPatients: 2 });
    const second = generateDataset({ extraPatients: 2 });
    expect(JSON.stringify(second.shared)).toBe(JSON.stringify(first.shared));
    for (const id of first.patientIds) {
      expect(JSON.stringify(second.record(id))).toBe(JSON.stringify(first.record(id)));
    }
  });

  test('gives the same record whatever order records are read in', () => {
    const forward = generateDataset({ extraPatients: 3 });
    const backward = generateDataset({ extraPatients: 3 });
    const inOrder = forward.patientIds.map((id) => JSON.stringify(forward.record(id)));
    const reversed = [...backward.patientIds]
      .reverse()
      .map((id) => JSON.stringify(backward.record(id)));
    expect(reversed.reverse()).toEqual(inOrder);
  });

  test('gives different synthetic patients for another seed', () => {
    const one = generateDataset({ extraPatients: 1 });
    const other = generateDataset({ seed: 7, extraPatients: 1 });
    expect(
      other.accounts[3]?.familyName === one.accounts[3]?.familyName &&
        other.accounts[3]?.givenName === one.accounts[3]?.givenName,
    ).toBe(false);
  });

  test('serves David exactly as the guide example, with US Core meta added', () => {
    const fixture = JSON.parse(
      readFileSync(new URL('../../spec/patient-428946492.json', import.meta.url), 'utf8'),
    ) as Resource;
    const david = generateDataset()
      .record(DAVID)
      ?.find((r) => key(r) === `Patient/${DAVID}`);
    const { meta, ...rest } = david ?? {};
    expect(rest).toEqual(fixture);
    expect(meta?.profile).toEqual([
      'http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient',
    ]);
  });

  test('gives Anna and Alex the Smith address and their own demographics', () => {
    const dataset = generateDataset();
    const patient = (id: string) => dataset.record(id)?.find((r) => key(r) === `Patient/${id}`);
    const anna = patient(ANNA);
    const alex = patient(ALEX);
    expect(anna).toMatchObject({
      gender: 'female',
      address: [{ city: 'SOLANA BEACH', postalCode: '73301' }],
    });
    expect(alex).toMatchObject({
      gender: 'male',
      address: [{ city: 'SOLANA BEACH', postalCode: '73301' }],
    });
    expect(alex && 'birthDate' in alex ? (alex.birthDate ?? '') > '2010-01-01' : false).toBe(true);
  });

  test('links each documented account Person to its patient and dependents', () => {
    const persons = generateDataset().shared.filter((r) => r.resourceType === 'Person');
    const david = persons.find((p) => p.id === '4007449');
    expect(david && 'link' in david ? david.link?.map((l) => l.target.reference) : []).toEqual([
      `Patient/${DAVID}`,
      `Patient/${ALEX}`,
    ]);
    expect(persons.map((p) => p.id)).toEqual(['4007449', '4007450', '4007451']);
  });

  test('gives each documented patient at least 15 resource types', () => {
    const dataset = generateDataset();
    for (const id of [DAVID, ANNA, ALEX]) {
      const types = new Set(dataset.record(id)?.map((r) => r.resourceType));
      expect(types.size, `${id}: ${[...types].join(', ')}`).toBeGreaterThanOrEqual(15);
    }
  });

  test.each([DAVID, ANNA, ALEX])(
    'gives patient %s Coverage, RelatedPerson, ServiceRequest, Specimen, MedicationDispense and MedicationAdministration',
    (patientId) => {
      const types = new Set(
        generateDataset()
          .record(patientId)
          ?.map((r) => r.resourceType),
      );
      for (const type of [
        'Coverage',
        'RelatedPerson',
        'ServiceRequest',
        'Specimen',
        'MedicationDispense',
        'MedicationAdministration',
      ]) {
        expect(types, type).toContain(type);
      }
    },
  );

  test('links the Smiths to each other as the accounts do, David holding the family plan', () => {
    const dataset = generateDataset();
    const relations = (patientId: string) =>
      (dataset.record(patientId) ?? []).flatMap((r) =>
        r.resourceType === 'RelatedPerson'
          ? [`${r.relationship?.[0]?.coding?.[0]?.code} ${r.name?.[0]?.given?.[0]}`]
          : [],
      );
    expect(relations(DAVID)).toEqual(['WIFE ANNA', 'SONC ALEX']);
    expect(relations(ANNA)).toEqual(['HUSB DAVID', 'SONC ALEX']);
    expect(relations(ALEX)).toEqual(['MTH ANNA', 'FTH DAVID']);
    const coverages = [DAVID, ANNA, ALEX].map((id) =>
      dataset.record(id)?.find((r) => r.resourceType === 'Coverage'),
    );
    expect(coverages.map((c) => c?.resourceType === 'Coverage' && c.subscriberId)).toEqual([
      'LSH428946492',
      'LSH428946492',
      'LSH428946492',
    ]);
    expect(
      coverages.map((c) => c?.resourceType === 'Coverage' && c.relationship?.coding?.[0]?.code),
    ).toEqual(['self', 'spouse', 'child']);
  });

  test('bases every lab report and procedure on an order, and every lab result on a specimen', () => {
    const record = generateDataset().record(DAVID) ?? [];
    for (const resource of record) {
      if (resource.resourceType === 'DiagnosticReport' || resource.resourceType === 'Procedure') {
        expect(resource.basedOn?.[0]?.reference, key(resource)).toMatch(/^ServiceRequest\//);
      }
      if (resource.resourceType === 'DiagnosticReport') {
        expect(resource.specimen?.[0]?.reference, key(resource)).toMatch(/^Specimen\//);
      }
      if (
        resource.resourceType === 'Observation' &&
        resource.category?.[0]?.coding?.[0]?.code === 'laboratory'
      ) {
        expect(resource.specimen?.reference, key(resource)).toMatch(/^Specimen\//);
      }
    }
  });

  test('ties every dispense and administration to a prescription of the same record', () => {
    const record = generateDataset().record(ANNA) ?? [];
    const requests = new Set(record.filter((r) => r.resourceType === 'MedicationRequest').map(key));
    for (const resource of record) {
      if (resource.resourceType === 'MedicationDispense') {
        expect(requests).toContain(resource.authorizingPrescription?.[0]?.reference);
        expect(resource.quantity?.value).toBeGreaterThan(0);
        expect(resource.daysSupply?.value).toBeGreaterThan(0);
      }
      if (resource.resourceType === 'MedicationAdministration') {
        expect(requests).toContain(resource.request?.reference);
      }
    }
  });

  test('gives a synthetic patient a Coverage of their own', () => {
    const dataset = generateDataset({ extraPatients: 1 });
    const coverage = dataset
      .record(dataset.patientIds[3] ?? '')
      ?.find((r) => r.resourceType === 'Coverage');
    expect(coverage?.resourceType === 'Coverage' && coverage.relationship?.coding?.[0]?.code).toBe(
      'self',
    );
  });

  test("gives Encounters, Conditions and Observations the Swagger's id prefixes by category", () => {
    const dataset = generateDataset({ extraPatients: 1 });
    const shapes = new Set<string>();
    for (const patientId of dataset.patientIds) {
      for (const resource of dataset.record(patientId) ?? []) {
        const category =
          'category' in resource && Array.isArray(resource.category)
            ? (resource.category as { coding?: { code?: string }[] }[])[0]?.coding?.[0]?.code
            : undefined;
        if (resource.resourceType === 'Encounter') {
          expect(resource.id).toMatch(/^PT-\d+$/);
        } else if (
          resource.resourceType === 'Condition' ||
          resource.resourceType === 'Observation'
        ) {
          const prefix = {
            'problem-list-item': 'PL',
            'health-concern': 'HC',
            'encounter-diagnosis': 'ED',
            'social-history': 'HX',
            'vital-signs': 'VS',
            laboratory: 'LR',
          }[category ?? ''];
          expect(resource.id, `${resource.resourceType} ${category}`).toMatch(
            new RegExp(`^${prefix}-\\d+$`),
          );
          shapes.add(prefix ?? '');
        } else if (resource.resourceType !== 'Patient') {
          expect(resource.id, resource.resourceType).toMatch(/^\d+$/);
        }
      }
    }
    expect([...shapes].sort()).toEqual(['ED', 'HC', 'HX', 'LR', 'PL', 'VS']);
  });

  test('names every Provenance target by the prefixed id of the resource it records', () => {
    const record = generateDataset().record(DAVID) ?? [];
    const keys = new Set(record.map(key));
    const targets = record.flatMap((r) =>
      r.resourceType === 'Provenance' ? (r.target ?? []).map((t) => t.reference ?? '') : [],
    );
    expect(targets.filter((target) => !keys.has(target))).toEqual([]);
    expect(targets.some((target) => target.startsWith('Observation/VS-'))).toBe(true);
  });

  test('gives David an implantable device with a UDI carrier', () => {
    const device = generateDataset()
      .record(DAVID)
      ?.find((r) => r.resourceType === 'Device');
    expect(
      device && 'udiCarrier' in device ? device.udiCarrier?.[0]?.carrierHRF : undefined,
    ).toMatch(/^\(01\)\d{14}\(17\)\d{6}\(10\)\w+\(21\)\d+$/);
  });

  test('spreads vital signs over at least four calendar years', () => {
    const record = generateDataset().record(DAVID) ?? [];
    const years = new Set(
      record
        .filter(
          (r) =>
            r.resourceType === 'Observation' &&
            r.category?.[0]?.coding?.[0]?.code === 'vital-signs',
        )
        .map((r) => (r.resourceType === 'Observation' ? r.effectiveDateTime?.slice(0, 4) : '')),
    );
    expect(years.size).toBeGreaterThanOrEqual(4);
  });

  test('resolves every reference of a record within the record or the shared resources', () => {
    const dataset = generateDataset({ extraPatients: 2 });
    const shared = new Set(dataset.shared.map(key));
    for (const id of dataset.patientIds) {
      const record = dataset.record(id) ?? [];
      const known = new Set([...shared, ...record.map(key)]);
      const dangling = references(record).filter((ref) => !known.has(ref));
      expect(dangling, id).toEqual([]);
    }
  });

  test('gives every resource a Provenance targeting it', () => {
    const record = generateDataset().record(ANNA) ?? [];
    const targets = new Set(
      record.flatMap((r) =>
        r.resourceType === 'Provenance' ? r.target.map((t) => t.reference) : [],
      ),
    );
    const missing = record
      .filter((r) => r.resourceType !== 'Provenance' && !targets.has(key(r)))
      .map(key);
    expect(missing).toEqual([]);
  });

  test('uses ids unique across the whole dataset', () => {
    const dataset = generateDataset({ extraPatients: 3 });
    const all = [
      ...dataset.shared,
      ...dataset.patientIds.flatMap((id) => dataset.record(id) ?? []),
    ].map(key);
    expect(new Set(all).size).toBe(all.length);
  });

  test('gives extra patients accounts with the documented username and password pattern', () => {
    const { accounts } = generateDataset({ extraPatients: 12 });
    expect(accounts).toHaveLength(15);
    expect(accounts[3]).toMatchObject({ username: 'patient00001', password: SYNTHETIC_PASSWORD });
    expect(accounts[14]).toMatchObject({ username: 'patient00012', password: 'Password01' });
  });

  test('answers undefined for an unknown patient id', () => {
    expect(generateDataset().record('999999999')).toBeUndefined();
  });

  test('names the owner of every record resource from its id alone', () => {
    const dataset = generateDataset({ extraPatients: 1 });
    for (const patientId of dataset.patientIds) {
      for (const resource of dataset.record(patientId) ?? []) {
        if (resource.resourceType === 'Patient') continue;
        expect(dataset.ownerOf(resource.id ?? ''), key(resource)).toBe(patientId);
      }
    }
  });

  test('names no owner for shared resources or foreign ids', () => {
    const dataset = generateDataset();
    for (const resource of dataset.shared)
      expect(dataset.ownerOf(resource.id ?? '')).toBeUndefined();
    expect(dataset.ownerOf('../etc')).toBeUndefined();
    expect(dataset.ownerOf('999999999999')).toBeUndefined();
  });
});

describe('generateDataset with accounts of the config file', () => {
  const nurse = accountFromConfig({
    username: 'nurse',
    password: 'pw',
    personId: '9100001',
    patientId: ANNA,
    dependents: [ALEX],
  });

  test('gives a config account its Person, linked to its patient and dependents', () => {
    const person = generateDataset({ accounts: [nurse] }).shared.find(
      (resource) => key(resource) === 'Person/9100001',
    );
    expect(person).toMatchObject({
      resourceType: 'Person',
      name: [{ use: 'usual', given: ['nurse'] }],
      link: [
        { target: { reference: `Patient/${ANNA}` } },
        { target: { reference: `Patient/${ALEX}` } },
      ],
    });
  });

  test('adds no patient for a config account', () => {
    expect(generateDataset({ accounts: [nurse] }).patientIds).toEqual([DAVID, ANNA, ALEX]);
  });

  test('refuses an account for a patient the data does not have', () => {
    expect(() => generateDataset({ accounts: [{ ...nurse, patientId: '1' }] })).toThrow(
      /nurse: there is no Patient\/1/,
    );
  });

  test('refuses an account whose username is taken', () => {
    expect(() => generateDataset({ accounts: [{ ...nurse, username: 'davidfhir' }] })).toThrow(
      /"davidfhir" is taken/,
    );
  });

  test('refuses an account whose Person id is taken', () => {
    expect(() => generateDataset({ accounts: [{ ...nurse, personId: '4007449' }] })).toThrow(
      /Person\/4007449 is taken/,
    );
  });

  test('refuses a Person id that is not a FHIR id', () => {
    expect(() => generateDataset({ accounts: [{ ...nurse, personId: 'a b' }] })).toThrow(
      /"a b" is not a FHIR id/,
    );
  });
});
