const US_CORE = 'http://hl7.org/fhir/us/core/StructureDefinition';

/**
 * The US Core 3.1.1 profiles (NextGen Office's certified version) the generated resources declare in
 * `meta.profile`. Vital signs use the FHIR R4 profiles, as 3.1.1 does (see `terminology/vitals.ts`).
 * @see https://www.hl7.org/fhir/us/core/STU3.1.1/profiles.html
 */
export const US_CORE_PROFILES = {
  allergyIntolerance: `${US_CORE}/us-core-allergyintolerance`,
  carePlan: `${US_CORE}/us-core-careplan`,
  careTeam: `${US_CORE}/us-core-careteam`,
  condition: `${US_CORE}/us-core-condition`,
  diagnosticReportLab: `${US_CORE}/us-core-diagnosticreport-lab`,
  diagnosticReportNote: `${US_CORE}/us-core-diagnosticreport-note`,
  documentReference: `${US_CORE}/us-core-documentreference`,
  encounter: `${US_CORE}/us-core-encounter`,
  goal: `${US_CORE}/us-core-goal`,
  immunization: `${US_CORE}/us-core-immunization`,
  implantableDevice: `${US_CORE}/us-core-implantable-device`,
  location: `${US_CORE}/us-core-location`,
  medication: `${US_CORE}/us-core-medication`,
  medicationRequest: `${US_CORE}/us-core-medicationrequest`,
  observationLab: `${US_CORE}/us-core-observation-lab`,
  organization: `${US_CORE}/us-core-organization`,
  patient: `${US_CORE}/us-core-patient`,
  practitioner: `${US_CORE}/us-core-practitioner`,
  practitionerRole: `${US_CORE}/us-core-practitionerrole`,
  procedure: `${US_CORE}/us-core-procedure`,
  provenance: `${US_CORE}/us-core-provenance`,
  smokingStatus: `${US_CORE}/us-core-smokingstatus`,
} as const;
