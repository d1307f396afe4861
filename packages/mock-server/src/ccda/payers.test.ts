import { describe, expect, test } from 'vitest';
import { convertXmlToCcda, type CcdaAct } from '@medplum/ccda';
import type { Coverage } from '@medplum/fhirtypes';
import { generateDataset } from '../data/index.js';
import { syntheticPatientId } from '../data/ids.js';
import { renderCcda } from './render.js';
import { ccdaInputOf } from './test-support/records.js';

// Seed 42's second synthetic patient is a Medicare beneficiary.
const dataset = generateDataset({ seed: 42, extraPatients: 2 });
const input = ccdaInputOf(dataset, syntheticPatientId(2));
const coverage = input.resources.find(
  (resource): resource is Coverage => resource.resourceType === 'Coverage',
) as Coverage;

function policy(): CcdaAct | undefined {
  const payers = (convertXmlToCcda(renderCcda(input)).component?.structuredBody.component ?? [])
    .flatMap((component) => component.section)
    .find((section) => section.code?.['@_code'] === '48768-6');
  return payers?.entry?.[0]?.act?.[0]?.entryRelationship?.[0]?.act?.[0];
}

describe('the Payers section', () => {
  test('is written for a Medicare beneficiary of the generated data', () => {
    expect(coverage.payor[0]?.display).toBe('Centers for Medicare & Medicaid Services');
  });

  test('codes a Medicare policy as Medicare, translated to its SOPT code', () => {
    expect(policy()?.code['@_code']).toBe('MP');
    expect(policy()?.code.translation?.[0]?.['@_code']).toBe(coverage.type?.coding?.[0]?.code);
  });

  test('keeps a member id whose system is no OID under the practice, naming the system', () => {
    const covered = [policy()?.participant ?? []].flat()[0];
    const id = [covered?.participantRole?.id ?? []].flat()[0];
    const member = coverage.identifier?.[0];
    expect(id?.['@_extension']).toBe(member?.value);
    expect(id?.['@_root']).toMatch(/^[0-2](\.(0|[1-9]\d*))+$/);
    expect(id?.['@_assigningAuthorityName']).toBe(member?.system?.replace('urn:oid:', ''));
  });
});
