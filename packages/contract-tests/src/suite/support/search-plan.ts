import { parseScopes, sameResourceType } from '@patient-access/auth-core';

/**
 * The resource types of US Core 3.1.1 (USCDI v1) that NextGen Office serves, by their exact names;
 * scope names are matched to them case-insensitively (`patient/careplan.read`).
 * @see https://hl7.org/fhir/us/core/STU3.1.1/CapabilityStatement-us-core-server.html
 */
const US_CORE_TYPES = [
  'AllergyIntolerance',
  'CarePlan',
  'CareTeam',
  'Condition',
  'Device',
  'DiagnosticReport',
  'DocumentReference',
  'Encounter',
  'Goal',
  'Immunization',
  'Location',
  'Medication',
  'MedicationRequest',
  'Observation',
  'Organization',
  'Patient',
  'Practitioner',
  'PractitionerRole',
  'Procedure',
  'Provenance',
] as const;

/**
 * The R4 types NextGen serves beyond US Core 3.1.1, each with a patient search in its
 * CapabilityStatement and `patient/{type}.read` in its `scopes_supported`; they validate against
 * base R4.
 */
export const WIDER_TYPES = [
  'Coverage',
  'MedicationAdministration',
  'MedicationDispense',
  'RelatedPerson',
  'ServiceRequest',
  'Specimen',
] as const;

/** One search the suite runs for a type the scopes cover. */
export interface PlannedSearch {
  type: string;
  /** Search parameters; `{patient}` is replaced by the token's patient. */
  params: Record<string, string>;
}

// US Core 3.1.1 makes `category` mandatory on CarePlan searches (only `assess-plan` is profiled),
// and NextGen's Swagger marks it required.
// https://hl7.org/fhir/us/core/STU3.1.1/CapabilityStatement-us-core-server.html#careplan
const SPECIAL: Record<string, Record<string, string>> = {
  Patient: { _id: '{patient}' },
  CarePlan: { patient: '{patient}', category: 'assess-plan' },
};

/**
 * The patient-compartment searches the requested scope covers, one per resource type. Types with
 * no search of their own on NextGen (Medication is only reachable through references) are left out.
 */
export function searchPlan(scope: string): PlannedSearch[] {
  const types = new Set<string>();
  for (const parsed of parseScopes(scope)) {
    if (parsed.kind !== 'resource' || parsed.context !== 'patient') continue;
    for (const type of [...US_CORE_TYPES, ...WIDER_TYPES]) {
      if (sameResourceType(parsed.resourceType, type)) types.add(type);
    }
  }
  return [...types]
    .filter((type) => !NOT_SEARCHABLE.has(type))
    .sort()
    .map((type) => ({ type, params: SPECIAL[type] ?? { patient: '{patient}' } }));
}

/** US Core types NextGen's CapabilityStatement gives no patient search (read through references). */
const NOT_SEARCHABLE: ReadonlySet<string> = new Set([
  'Medication',
  'Location',
  'Organization',
  'Practitioner',
  'PractitionerRole',
  'Provenance',
]);

/** Fills `{patient}` in planned parameters. */
export function bindPatient(
  params: Record<string, string>,
  patient: string,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(params).map(([name, value]) => [name, value.replace('{patient}', patient)]),
  );
}
