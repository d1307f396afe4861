import { readSpecFile } from '../../spec-files.js';
import type { Address, Extension, Patient, RelatedPerson } from '@medplum/fhirtypes';
import { PRACTICE_ID } from '../accounts.js';
import { US_CORE_PROFILES } from '../profiles.js';
import { daysAgo } from '../reference-date.js';
import type { Account } from '../types.js';
import type { RecordBuilder } from './builder.js';
import type { PatientStory } from './story.js';

/** The guide's example Patient, served unchanged apart from `meta`. */
export function davidPatient(): Patient {
  const fixture = JSON.parse(readSpecFile('patient-428946492.json')) as Patient;
  return {
    ...fixture,
    meta: { lastUpdated: '2023-04-20T08:32:32Z', profile: [US_CORE_PROFILES.patient] },
  };
}

const OMB = 'urn:oid:2.16.840.1.113883.6.238';

const RACES = [
  { code: '2106-3', display: 'White' },
  { code: '2054-5', display: 'Black or African American' },
  { code: '2028-9', display: 'Asian' },
  { code: '1002-5', display: 'American Indian or Alaska Native' },
  { code: '2076-8', display: 'Native Hawaiian or Other Pacific Islander' },
] as const;

const ETHNICITIES = [
  { code: '2135-2', display: 'Hispanic or Latino' },
  { code: '2186-5', display: 'Not Hispanic or Latino' },
] as const;

/** US Core race, ethnicity and birth sex extensions (OMB categories, CDC race & ethnicity codes). */
function demographicExtensions(
  race: { code: string; display: string },
  ethnicity: { code: string; display: string },
  gender: 'female' | 'male',
): Extension[] {
  const base = 'http://hl7.org/fhir/us/core/StructureDefinition';
  return [
    {
      url: `${base}/us-core-race`,
      extension: [
        { url: 'ombCategory', valueCoding: { system: OMB, ...race } },
        { url: 'text', valueString: race.display },
      ],
    },
    {
      url: `${base}/us-core-ethnicity`,
      extension: [
        { url: 'ombCategory', valueCoding: { system: OMB, ...ethnicity } },
        { url: 'text', valueString: ethnicity.display },
      ],
    },
    { url: `${base}/us-core-birthsex`, valueCode: gender === 'female' ? 'F' : 'M' },
  ];
}

function mrn(patientId: string) {
  return {
    use: 'official' as const,
    type: {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/v2-0203',
          code: 'MR',
          display: 'Medical record number',
        },
      ],
      text: 'Unique Id for EHR',
    },
    system: 'http://terminology.hl7.org/CodeSystem/v2-0203',
    value: patientId,
    assigner: { reference: `Organization/${PRACTICE_ID}` },
  };
}

const ENGLISH = {
  language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'en', display: 'English' }] },
  preferred: true,
};

/**
 * A Patient in the style of the guide's example (upper-case usual name, MR identifier assigned by
 * the practice), for David's family and the synthetic patients.
 */
export function addPatient(
  builder: RecordBuilder,
  story: PatientStory,
  names: { given: string; family: string },
  address: Address,
  phone: string,
  heritage?: { race: (typeof RACES)[number]; ethnicity: (typeof ETHNICITIES)[number] },
): Patient {
  const { faker } = builder;
  const race = heritage?.race ?? faker.helpers.arrayElement(RACES);
  const ethnicity = heritage?.ethnicity ?? faker.helpers.arrayElement(ETHNICITIES);
  return builder.add<Patient>(
    {
      resourceType: 'Patient',
      extension: demographicExtensions(race, ethnicity, story.gender),
      identifier: [mrn(builder.patientId)],
      active: true,
      name: [
        { use: 'usual', family: names.family.toUpperCase(), given: [names.given.toUpperCase()] },
      ],
      telecom: [{ system: 'phone', value: phone, use: 'home' }],
      gender: story.gender,
      birthDate: story.birthDate,
      address: [address],
      communication: [ENGLISH],
    },
    {
      id: builder.patientId,
      profiles: [US_CORE_PROFILES.patient],
      recorded: daysAgo(400),
      author: story.pcp,
    },
  );
}

/** David's family shares his address and heritage, as the guide's example gives them. */
export const SMITH_HERITAGE = { race: RACES[3], ethnicity: ETHNICITIES[0] };

/** The Smiths' home, from the guide's example. */
export function smithAddress(): Address {
  return { line: ['PUNE'], city: 'SOLANA BEACH', state: 'TX', postalCode: '73301' };
}

/** A synthetic patient's home address. */
export function syntheticAddress(builder: RecordBuilder): Address {
  const { faker } = builder;
  return {
    use: 'home',
    line: [faker.location.streetAddress()],
    city: faker.location.city(),
    state: faker.location.state({ abbreviated: true }),
    postalCode: faker.location.zipCode('#####'),
    country: 'US',
  };
}

/** A US phone number in the guide's `(NNN)NNN-NNNN` shape. */
export function syntheticPhone(builder: RecordBuilder): string {
  return builder.faker.helpers.replaceSymbols('(###)555-01##');
}

/** A family member who is a patient too, seen from another patient's record. */
export interface Relative {
  account: Account;
  /** HL7 v3 RoleCode family relationship: what the relative is to the record's patient. */
  relationship: { code: 'MTH' | 'FTH' | 'WIFE' | 'HUSB' | 'SONC'; display: string };
  gender: 'female' | 'male';
  birthDate: string;
}

/**
 * A family member as the record's RelatedPerson (NextGen links families this way, not with
 * `Patient.link`); the relative's own record holds the mirror image.
 */
export function addRelative(
  builder: RecordBuilder,
  relative: Relative,
  pcp: PatientStory['pcp'],
): RelatedPerson {
  const { account, relationship } = relative;
  return builder.add<RelatedPerson>(
    {
      resourceType: 'RelatedPerson',
      identifier: [mrn(account.patientId)],
      active: true,
      patient: builder.subject,
      relationship: [
        {
          coding: [
            { system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', ...relationship },
          ],
          text: relationship.display,
        },
      ],
      name: [
        {
          use: 'usual',
          family: account.familyName.toUpperCase(),
          given: [account.givenName.toUpperCase()],
        },
      ],
      telecom: [{ system: 'email', value: account.email, use: 'home' }],
      gender: relative.gender,
      birthDate: relative.birthDate,
      address: [smithAddress()],
    },
    { recorded: daysAgo(400), author: pcp },
  );
}
