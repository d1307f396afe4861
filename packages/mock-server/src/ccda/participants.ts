import {
  mapFhirToCcdaDateTime,
  type CcdaAddr,
  type CcdaAssignedEntity,
  type CcdaAuthor,
  type CcdaId,
  type CcdaName,
  type CcdaTelecom,
} from '@medplum/ccda';
import type {
  Address,
  ContactPoint,
  HumanName,
  Identifier,
  Organization,
  Practitioner,
} from '@medplum/fhirtypes';

const NPI = '2.16.840.1.113883.4.6';
const NPI_SYSTEM = 'http://hl7.org/fhir/sid/us-npi';
const AUTHOR_PARTICIPATION = '2.16.840.1.113883.10.20.22.4.119';

// The FHIR id (moved under the practice's root by the corrections) and the NPI.
const idsOf = (id: string | undefined, identifiers: Identifier[] | undefined): CcdaId[] => [
  { '@_root': id ?? 'unknown' },
  ...(identifiers ?? [])
    .filter((identifier) => identifier.system === NPI_SYSTEM)
    .map((identifier) => ({ '@_root': NPI, '@_extension': identifier.value })),
];

/** A FHIR address as a CDA `AD` of the given use. */
export const addrOf = (address: Address, use: 'HP' | 'WP'): CcdaAddr => ({
  '@_use': use,
  streetAddressLine: address.line ?? [],
  city: address.city,
  state: address.state,
  postalCode: address.postalCode,
  country: address.country,
});

/** A FHIR name as a CDA `PN`'s parts. */
export const nameOf = (name: HumanName): CcdaName => ({
  prefix: name.prefix,
  given: name.given,
  family: name.family,
  suffix: name.suffix,
});

const workAddresses = (addresses: Address[] | undefined): CcdaAddr[] =>
  (addresses ?? []).map((address) => addrOf(address, 'WP'));

const workPhones = (telecoms: ContactPoint[] | undefined): CcdaTelecom[] =>
  (telecoms ?? [])
    .filter((telecom) => telecom.system === 'phone')
    .map((telecom) => ({ '@_use': 'WP' as const, '@_value': `tel:${telecom.value ?? ''}` }));

/** A practitioner as a CDA assigned entity: id and NPI, address, telephone, name. */
export function practitionerEntity(member: Practitioner): CcdaAssignedEntity {
  return {
    id: idsOf(member.id, member.identifier),
    addr: workAddresses(member.address),
    telecom: workPhones(member.telecom),
    assignedPerson: {
      name: (member.name ?? []).map(nameOf),
    },
  };
}

/** An organization (the pharmacy) as a CDA assigned entity that represents it. */
export function organizationEntity(organization: Organization): CcdaAssignedEntity {
  return {
    id: idsOf(organization.id, organization.identifier),
    addr: workAddresses(organization.address),
    telecom: workPhones(organization.telecom),
    // The address and telephone are the entity's already.
    representedOrganization: {
      name: organization.name === undefined ? undefined : [organization.name],
    },
  };
}

/**
 * A practitioner as the author of an entry, at `time` (Author Participation).
 * @see https://www.hl7.org/ccdasearch/templates/2.16.840.1.113883.10.20.22.4.119.html
 */
export const authorOf = (practitioner: Practitioner, time: string | undefined): CcdaAuthor => ({
  templateId: [{ '@_root': AUTHOR_PARTICIPATION }],
  time: time === undefined ? undefined : { '@_value': mapFhirToCcdaDateTime(time) },
  assignedAuthor: practitionerEntity(practitioner),
});
