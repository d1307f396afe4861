import type {
  Account,
  Bundle,
  Coverage,
  CareTeam,
  Composition,
  CompositionSection,
  Device,
  DiagnosticReport,
  DeviceUseStatement,
  Medication,
  MedicationRequest,
  Organization,
  Patient,
  PractitionerRole,
  Reference,
  Resource,
} from '@medplum/fhirtypes';
import { elementRange } from '../fhir/search/date.js';
import { clinicalDateOf } from './date-filter.js';
import { SECTIONS, type SectionKey } from './sections.js';

/** What goes into one document: the patient's resources the caller may see, and the shared ones. */
export interface DocumentInput {
  patient: Patient;
  /** The patient's clinical resources, already narrowed to the token's scopes and the dates. */
  resources: readonly Resource[];
  /** Practitioners, their roles, the practice, locations, medications. */
  shared: readonly Resource[];
  /** The practice: the document's custodian. */
  practiceId: string;
  /** The document's stable id (a UUID) and its creation time (FHIR dateTime). */
  documentId: string;
  createdAt: string;
}

/** The input of `convertFhirToCcda`, and which resources each section lists. */
export interface DocumentBundle {
  bundle: Bundle;
  composition: Composition;
  sections: ReadonlyMap<SectionKey, readonly Resource[]>;
  /** The care team whose members are the document's `documentationOf` performers. */
  careTeam: CareTeam | undefined;
}

/**
 * The resources of `type` among `resources`, by id: how a section's converted entries (whose
 * first id is the FHIR id) find the resource they came from.
 */
export function resourcesById<K extends Resource['resourceType']>(
  resources: readonly Resource[],
  type: K,
): Map<string | undefined, Extract<Resource, { resourceType: K }>> {
  return new Map(
    resources
      .filter(
        (resource): resource is Extract<Resource, { resourceType: K }> =>
          resource.resourceType === type,
      )
      .map((resource) => [resource.id, resource]),
  );
}

/** A reference to `resource` by its type and id. */
export const referenceTo = <T extends Resource>(resource: T): Reference<T> => ({
  reference: `${resource.resourceType}/${resource.id ?? ''}`,
});

// Planned orders belong to the plan of treatment; completed ones are already results or procedures.
const PLANNED_STATUSES = new Set(['draft', 'active', 'on-hold']);

function inSection(key: SectionKey, resource: Resource): boolean {
  if (resource.resourceType === 'ServiceRequest') {
    return key === 'planOfTreatment' && PLANNED_STATUSES.has(resource.status);
  }
  return SECTIONS.find((section) => section.key === key)?.holds(resource) === true;
}

/**
 * The document Bundle (Composition first, then the record) that `@medplum/ccda` converts: one
 * Composition section per CCD section, each listing its entries by reference, as a FHIR
 * document does.
 * @see https://hl7.org/fhir/R4/documents.html
 */
export function documentBundle(input: DocumentInput): DocumentBundle {
  const { patient, resources, shared } = input;
  const practice = shared.find(
    (resource): resource is Organization =>
      resource.resourceType === 'Organization' && resource.id === input.practiceId,
  );
  const careTeam = resources.find(
    (resource): resource is CareTeam =>
      resource.resourceType === 'CareTeam' && resource.status === 'active',
  );
  const author = authorRole(careTeam, shared);

  // medplum's Medical Equipment entry is built from a DeviceUseStatement; the record has the
  // implanted Device itself (US Core 3.1.1), so each one is stated as in use, for the converter only.
  const deviceStatements: DeviceUseStatement[] = resources
    .filter((resource): resource is Device => resource.resourceType === 'Device')
    .map((device) => ({
      resourceType: 'DeviceUseStatement',
      id: device.id,
      status: device.status === 'active' ? 'active' : 'completed',
      subject: referenceTo(patient),
      device: referenceTo(device),
    }));

  // medplum's Payers section is built from an Account listing the Coverages (one Coverage
  // Activity, one Policy Activity per Coverage); the record has the Coverages only.
  const coverages = resources.filter(
    (resource): resource is Coverage => resource.resourceType === 'Coverage',
  );
  const accounts: Account[] =
    coverages.length === 0
      ? []
      : [
          {
            resourceType: 'Account',
            id: `${patient.id ?? 'patient'}-coverage`,
            status: 'active',
            subject: [referenceTo(patient)],
            coverage: coverages.map((coverage) => ({ coverage: referenceTo(coverage) })),
          },
        ];

  // A laboratory observation of a report is listed in the report's Result Organizer only.
  const reported = new Set(
    resources.flatMap((resource) =>
      resource.resourceType === 'DiagnosticReport'
        ? (resource.result ?? []).map((result) => result.reference)
        : [],
    ),
  );
  const keys = new Set(resources.map((resource) => referenceTo(resource).reference));
  // An order given in the office is listed as its administrations (Medication Activities in EVN
  // mood), not beside them.
  const administered = new Set(
    resources.flatMap((resource) =>
      resource.resourceType === 'MedicationAdministration' ? [resource.request?.reference] : [],
    ),
  );
  const sections = new Map<SectionKey, readonly Resource[]>();
  const compositionSections: CompositionSection[] = SECTIONS.map((section) => {
    const members = resources.filter(
      (resource) =>
        inSection(section.key, resource) &&
        !(section.key === 'results' && reported.has(referenceTo(resource).reference)) &&
        !(section.key === 'medications' && administered.has(referenceTo(resource).reference)) &&
        !(resource.resourceType === 'DiagnosticReport' && !hasVisibleResult(resource, keys)),
    );
    sections.set(section.key, members);
    const entries =
      section.key === 'devices' ? deviceStatements : section.key === 'payers' ? accounts : members;
    return {
      title: section.title,
      code: {
        coding: [{ system: 'http://loinc.org', code: section.loinc, display: section.title }],
      },
      entry: entries.map(referenceTo),
    };
  });

  const composition: Composition = {
    resourceType: 'Composition',
    id: input.documentId,
    status: 'final',
    type: {
      coding: [
        {
          system: 'http://loinc.org',
          code: '34133-9',
          display: 'Summarization of Episode Note',
        },
      ],
    },
    subject: referenceTo(patient),
    date: input.createdAt,
    author: author ? [referenceTo(author)] : practice ? [referenceTo(practice)] : [],
    title: 'Continuity of Care Document',
    confidentiality: 'N',
    custodian: practice ? referenceTo(practice) : undefined,
    event: [{ period: recordPeriod(resources, input.createdAt) }],
    section: compositionSections,
  };

  return {
    bundle: {
      resourceType: 'Bundle',
      type: 'document',
      entry: [
        composition,
        patient,
        ...resources.map((resource) => converterInput(resource, shared)),
        ...deviceStatements,
        ...accounts,
        ...shared,
      ].map((resource) => ({ resource })),
    },
    composition,
    sections,
    careTeam,
  };
}

// The document's author is the primary care physician (the care team's first member), in the
// role that ties them to the practice; a record without a care team is authored by the practice.
function authorRole(
  careTeam: CareTeam | undefined,
  shared: readonly Resource[],
): PractitionerRole | undefined {
  const first = careTeam?.participant?.[0]?.member?.reference;
  return shared.find(
    (resource): resource is PractitionerRole =>
      resource.resourceType === 'PractitionerRole' && resource.practitioner?.reference === first,
  );
}

// The service event a CCD summarises: the span of the record's dated entries.
function recordPeriod(
  resources: readonly Resource[],
  until: string,
): { start: string; end: string } {
  let start = Date.parse(until);
  for (const resource of resources) {
    const range = elementRange(clinicalDateOf(resource));
    if (range !== undefined && Number.isFinite(range.start) && range.start < start) {
      start = range.start;
    }
  }
  return { start: new Date(start).toISOString(), end: until };
}

/**
 * The shape medplum's converter reads, for a resource whose data it would otherwise drop: a
 * MedicationRequest names its drug by `medicationReference` (to a shared Medication), which
 * medplum 4.5.2 does not follow (it reads a contained Medication or `medicationCodeableConcept`),
 * and states when it started by `authoredOn`, which medplum does not map to the Medication
 * Activity's `effectiveTime` low (CONF:1098-7508).
 */
function converterInput(resource: Resource, shared: readonly Resource[]): Resource {
  if (resource.resourceType !== 'MedicationRequest') return resource;
  const medication = shared.find(
    (candidate): candidate is Medication =>
      candidate.resourceType === 'Medication' &&
      `Medication/${candidate.id ?? ''}` === resource.medicationReference?.reference,
  );
  return {
    ...resource,
    medicationCodeableConcept: resource.medicationCodeableConcept ?? medication?.code,
    dispenseRequest: {
      ...resource.dispenseRequest,
      validityPeriod: resource.dispenseRequest?.validityPeriod ?? { start: resource.authoredOn },
    },
  } satisfies MedicationRequest;
}

// A Result Organizer SHALL hold a result (CONF:1198-7124): a report whose observations the token
// may not read (no Observation scope) is left out with them.
function hasVisibleResult(
  report: DiagnosticReport,
  keys: ReadonlySet<string | undefined>,
): boolean {
  return (report.result ?? []).some((result) => keys.has(result.reference));
}
