import type { Organization } from '@medplum/fhirtypes';
import { sharedId } from '../ids.js';
import { US_CORE_PROFILES } from '../profiles.js';
import { npi } from './npi.js';
import { fhirDateTime, REFERENCE_DATE } from '../reference-date.js';
import { SYSTEMS } from '../terminology/systems.js';

/** The NAIC company code system (payers have no NPI). */
const NAIC = 'urn:oid:2.16.840.1.113883.6.300';

interface Payer {
  id: string;
  name: string;
  /** The NAIC company code; Medicare, which has none, is named by its URL. */
  identifier: { system: string; value: string };
  /** The identifier system of its member ids (`Coverage.identifier`). */
  memberIdSystem: string;
  phone: string;
  line: string;
  city: string;
  state: string;
  postalCode: string;
  /** Source of Payment Typology code of the plans it sells, and their plan name. */
  sopt: { code: string; display: string };
  plan: string;
}

/**
 * The health plans of the practice's patients (fictional, apart from Medicare): the payer
 * Organizations that `Coverage.payor` names.
 */
export const PAYERS = {
  loneStar: {
    id: sharedId(30),
    name: 'Lone Star Health Plan',
    identifier: { system: NAIC, value: '95531' },
    memberIdSystem: 'urn:oid:2.16.840.1.113883.3.95531.1',
    phone: '(800) 555-0100',
    line: '500 West 2nd Street',
    city: 'Austin',
    state: 'TX',
    postalCode: '78701',
    sopt: { code: '512', display: 'Commercial Managed Care - PPO' },
    plan: 'Lone Star PPO Gold',
  },
  bluebonnet: {
    id: sharedId(31),
    name: 'Bluebonnet Health Insurance Company',
    identifier: { system: NAIC, value: '96385' },
    memberIdSystem: 'urn:oid:2.16.840.1.113883.3.96385.1',
    phone: '(800) 555-0175',
    line: '2100 Ross Avenue',
    city: 'Dallas',
    state: 'TX',
    postalCode: '75201',
    sopt: { code: '511', display: 'Commercial Managed Care - HMO' },
    plan: 'Bluebonnet HMO Silver',
  },
  medicare: {
    id: sharedId(32),
    name: 'Centers for Medicare & Medicaid Services',
    identifier: { system: 'urn:ietf:rfc:3986', value: 'https://www.cms.gov' },
    // HL7's NamingSystem for the Medicare Beneficiary Identifier.
    memberIdSystem: 'http://hl7.org/fhir/sid/us-mbi',
    phone: '(800) 633-4227',
    line: '7500 Security Boulevard',
    city: 'Baltimore',
    state: 'MD',
    postalCode: '21244',
    sopt: { code: '1', display: 'MEDICARE' },
    plan: 'Original Medicare Part A and B',
  },
} as const satisfies Record<string, Payer>;

/** A key of {@link PAYERS}. */
export type PayerKey = keyof typeof PAYERS;

/** The pharmacy that fills the practice's prescriptions (`MedicationDispense.performer`). */
export const PHARMACY_ID = sharedId(33);

const META = {
  lastUpdated: fhirDateTime(REFERENCE_DATE),
  profile: [US_CORE_PROFILES.organization],
};

function payerOrganization(payer: Payer): Organization {
  return {
    resourceType: 'Organization',
    id: payer.id,
    meta: META,
    identifier: [payer.identifier],
    active: true,
    type: [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/organization-type',
            code: 'pay',
            display: 'Payer',
          },
        ],
      },
    ],
    name: payer.name,
    telecom: [{ system: 'phone', value: payer.phone, use: 'work' }],
    address: [
      {
        use: 'work',
        line: [payer.line],
        city: payer.city,
        state: payer.state,
        postalCode: payer.postalCode,
        country: 'US',
      },
    ],
  };
}

function pharmacyOrganization(): Organization {
  return {
    resourceType: 'Organization',
    id: PHARMACY_ID,
    meta: META,
    identifier: [{ system: SYSTEMS.npi, value: npi('153824601') }],
    active: true,
    type: [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/organization-type',
            code: 'prov',
            display: 'Healthcare Provider',
          },
        ],
        text: 'Community pharmacy',
      },
    ],
    name: 'Congress Avenue Pharmacy',
    telecom: [{ system: 'phone', value: '(512) 555-0188', use: 'work' }],
    address: [
      {
        use: 'work',
        line: ['1210 Congress Avenue'],
        city: 'Austin',
        state: 'TX',
        postalCode: '78701',
        country: 'US',
      },
    ],
  };
}

/** The payers and the pharmacy, shared by every record. */
export function payerResources(): Organization[] {
  return [...Object.values(PAYERS).map(payerOrganization), pharmacyOrganization()];
}
