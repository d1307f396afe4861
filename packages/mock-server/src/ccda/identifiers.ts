import { mapFhirSystemToCcda, type CcdaId } from '@medplum/ccda';
import type { Identifier } from '@medplum/fhirtypes';

// The Medicare Beneficiary Identifier's OID, which medplum's system table lacks.
// https://terminology.hl7.org/NamingSystem-usMBI.html
const MEMBER_ID_OIDS: Readonly<Record<string, string>> = {
  'http://hl7.org/fhir/sid/us-mbi': '2.16.840.1.113883.4.927',
};

/** The OID a FHIR identifier or code system names (`urn:oid:`, medplum's table, the MBI). */
export const oidOf = (system: string | undefined): string | undefined =>
  system === undefined ? undefined : (MEMBER_ID_OIDS[system] ?? mapFhirSystemToCcda(system));

/** An identifier as a CDA `II` under its system's OID; `undefined` when it has no OID or value. */
export const idOf = (identifier: Identifier | undefined): CcdaId | undefined => {
  const root = oidOf(identifier?.system);
  return root === undefined || identifier?.value === undefined
    ? undefined
    : { '@_root': root, '@_extension': identifier.value };
};
