/** A coding from a curated table: the system, the code and its display as the code system spells it. */
export interface Code {
  system: string;
  code: string;
  display: string;
}

/** Code system URIs, as FHIR R4 and US Core 3.1.1 name them. */
export const SYSTEMS = {
  snomed: 'http://snomed.info/sct',
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  loinc: 'http://loinc.org',
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  cvx: 'http://hl7.org/fhir/sid/cvx',
  cpt: 'http://www.ama-assn.org/go/cpt',
  ucum: 'http://unitsofmeasure.org',
  npi: 'http://hl7.org/fhir/sid/us-npi',
  nucc: 'http://nucc.org/provider-taxonomy',
} as const;

/** Builds a {@link Code} in one of the {@link SYSTEMS}. */
export function code(system: keyof typeof SYSTEMS, value: string, display: string): Code {
  return { system: SYSTEMS[system], code: value, display };
}
