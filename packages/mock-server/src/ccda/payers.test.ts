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

  test('names a Medicare member id by the MBI’s OID', () => {
    const covered = [policy()?.participant ?? []].flat()[0];
    const id = [covered?.participantRole?.id ?? []].flat()[0];
    expect(coverage.identifier?.[0]?.system).toBe('http://hl7.org/fhir/sid/us-mbi');
    expect(id?.['@_root']).toBe('2.16.840.1.113883.4.927');
    expect(id?.['@_extension']).toBe(coverage.identifier?.[0]?.value);
  });
});
