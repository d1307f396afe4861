import type {
  Address,
  ContactPoint,
  Location,
  Organization,
  Practitioner,
  PractitionerRole,
} from '@medplum/fhirtypes';
import { PRACTICE_ID } from '../accounts.js';
import { sharedId } from '../ids.js';
import { US_CORE_PROFILES } from '../profiles.js';
import { fhirDateTime, REFERENCE_DATE } from '../reference-date.js';
import { code, SYSTEMS, type Code } from '../terminology/systems.js';
import { npi } from './npi.js';

const PRACTICE_ADDRESS: Address = {
  use: 'work',
  line: ['1200 Congress Avenue', 'Suite 300'],
  city: 'Austin',
  state: 'TX',
  postalCode: '78701',
  country: 'US',
};

const PRACTICE_PHONE: ContactPoint = { system: 'phone', value: '(512) 555-0142', use: 'work' };

interface StaffMember {
  id: string;
  npiBase: string;
  prefix: string;
  given: string;
  family: string;
  suffix: string;
  gender: 'female' | 'male';
  role: Code;
  specialty: Code;
}

/** The people who author the records (`Encounter.participant`, `Provenance.agent`, …). */
export const STAFF = {
  familyPhysician: {
    id: sharedId(1),
    npiBase: '198765432',
    prefix: 'Dr.',
    given: 'Maria',
    family: 'Alvarez',
    suffix: 'MD',
    gender: 'female',
    role: code('snomed', '158965000', 'Medical practitioner (occupation)'),
    specialty: { system: SYSTEMS.nucc, code: '207Q00000X', display: 'Family Medicine Physician' },
  },
  pediatrician: {
    id: sharedId(2),
    npiBase: '145678901',
    prefix: 'Dr.',
    given: 'James',
    family: 'Okafor',
    suffix: 'MD',
    gender: 'male',
    role: code('snomed', '158965000', 'Medical practitioner (occupation)'),
    specialty: { system: SYSTEMS.nucc, code: '208000000X', display: 'Pediatrics Physician' },
  },
  nursePractitioner: {
    id: sharedId(3),
    npiBase: '156789012',
    prefix: '',
    given: 'Karen',
    family: 'Lindqvist',
    suffix: 'NP',
    gender: 'female',
    role: code('snomed', '224571005', 'Nurse practitioner (occupation)'),
    specialty: { system: SYSTEMS.nucc, code: '363L00000X', display: 'Nurse Practitioner' },
  },
  cardiologist: {
    id: sharedId(4),
    npiBase: '167890123',
    prefix: 'Dr.',
    given: 'Samuel',
    family: 'Chen',
    suffix: 'MD',
    gender: 'male',
    role: code('snomed', '158965000', 'Medical practitioner (occupation)'),
    specialty: {
      system: SYSTEMS.nucc,
      code: '207RC0000X',
      display: 'Cardiovascular Disease Physician',
    },
  },
} as const satisfies Record<string, StaffMember>;

/** A key of {@link STAFF}. */
export type StaffKey = keyof typeof STAFF;

/** The practice's exam rooms: where every encounter happens. */
export const CLINIC_LOCATION_ID = sharedId(20);

const META = { lastUpdated: fhirDateTime(REFERENCE_DATE) };

/** The practice, a US Core Organization with its group NPI. */
export function practiceOrganization(): Organization {
  return {
    resourceType: 'Organization',
    id: PRACTICE_ID,
    meta: { ...META, profile: [US_CORE_PROFILES.organization] },
    identifier: [{ system: SYSTEMS.npi, value: npi('123456789') }],
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
      },
    ],
    name: 'Congress Avenue Family Medicine',
    telecom: [PRACTICE_PHONE, { system: 'email', value: 'frontdesk@example.org', use: 'work' }],
    address: [PRACTICE_ADDRESS],
  };
}

/** The practice's clinic, a US Core Location. */
export function clinicLocation(): Location {
  return {
    resourceType: 'Location',
    id: CLINIC_LOCATION_ID,
    meta: { ...META, profile: [US_CORE_PROFILES.location] },
    status: 'active',
    name: 'Congress Avenue Family Medicine, Main Clinic',
    mode: 'instance',
    type: [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode',
            code: 'OF',
            display: 'Outpatient facility',
          },
        ],
      },
    ],
    telecom: [PRACTICE_PHONE],
    address: PRACTICE_ADDRESS,
    managingOrganization: { reference: `Organization/${PRACTICE_ID}` },
  };
}

function practitioner(member: StaffMember): Practitioner {
  return {
    resourceType: 'Practitioner',
    id: member.id,
    meta: { ...META, profile: [US_CORE_PROFILES.practitioner] },
    identifier: [{ system: SYSTEMS.npi, value: npi(member.npiBase) }],
    active: true,
    name: [
      {
        use: 'official',
        family: member.family,
        given: [member.given],
        ...(member.prefix ? { prefix: [member.prefix] } : {}),
        suffix: [member.suffix],
      },
    ],
    telecom: [PRACTICE_PHONE],
    address: [PRACTICE_ADDRESS],
    gender: member.gender,
  };
}

function practitionerRole(member: StaffMember, id: string): PractitionerRole {
  return {
    resourceType: 'PractitionerRole',
    id,
    meta: { ...META, profile: [US_CORE_PROFILES.practitionerRole] },
    active: true,
    practitioner: {
      reference: `Practitioner/${member.id}`,
      display: `${member.given} ${member.family}, ${member.suffix}`,
    },
    organization: { reference: `Organization/${PRACTICE_ID}` },
    code: [{ coding: [member.role] }],
    specialty: [{ coding: [member.specialty] }],
    location: [{ reference: `Location/${CLINIC_LOCATION_ID}` }],
    telecom: [PRACTICE_PHONE],
  };
}

/** A display name for references to a staff member. */
export function staffDisplay(key: StaffKey): string {
  const member: StaffMember = STAFF[key];
  return `${member.prefix ? `${member.prefix} ` : ''}${member.given} ${member.family}, ${member.suffix}`;
}

/** The practice, its clinic, its practitioners and their roles. */
export function practiceResources(): (Organization | Location | Practitioner | PractitionerRole)[] {
  const members: StaffMember[] = Object.values(STAFF);
  return [
    practiceOrganization(),
    clinicLocation(),
    ...members.map(practitioner),
    ...members.map((member, index) => practitionerRole(member, sharedId(10 + index))),
  ];
}
