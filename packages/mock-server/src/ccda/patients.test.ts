import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import {
  convertXmlToCcda,
  type Ccda,
  type CcdaOrganizer,
  type CcdaPerformer,
  type CcdaSection,
  type CcdaSubstanceAdministration,
} from '@medplum/ccda';
import type {
  Bundle,
  CareTeam,
  DiagnosticReport,
  Extension,
  Observation,
  Organization,
  Patient,
  Practitioner,
  Resource,
} from '@medplum/fhirtypes';
import { buildApp } from '../app.js';
import { GUIDE_USERS, type GuideUser } from '../../../../test-support/guide.js';
import { accessTokenFor } from '../test-support/identity-flow.js';
import type { SupplyRelationship } from './medications.js';
import type { CcdaSpecimen } from './specimens.js';
import { CCD_SECTIONS } from './test-support/sections.js';

const FHIR = '/api/fhir/r4';
const NPI = 'http://hl7.org/fhir/sid/us-npi';

let app: FastifyInstance;
afterAll(() => app.close());
beforeAll(async () => {
  app = await buildApp({ logLevel: 'silent' });
});

/** What one test patient's token reads: the C-CDA, and the FHIR record it is generated from. */
interface PatientView {
  ccda: Ccda;
  record: Resource[];
  shared: Map<string, Resource>;
}

/** Every resource of a search, following the Bundle's `next` links. */
async function searchAll(query: string, token: string): Promise<Resource[]> {
  const resources: Resource[] = [];
  let path: string | undefined = `${FHIR}/${query}`;
  while (path !== undefined) {
    const response: LightMyRequestResponse = await app.inject({
      method: 'GET',
      url: path,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.statusCode, response.body).toBe(200);
    const bundle: Bundle = response.json<Bundle>();
    resources.push(...(bundle.entry ?? []).flatMap((entry) => entry.resource ?? []));
    const next: string | undefined = bundle.link?.find((link) => link.relation === 'next')?.url;
    path = next === undefined ? undefined : new URL(next).pathname + new URL(next).search;
  }
  return resources;
}

const RECORD_TYPES = [
  'AllergyIntolerance',
  'CarePlan',
  'CareTeam',
  'Condition',
  'Coverage',
  'Device',
  'DiagnosticReport',
  'DocumentReference',
  'Encounter',
  'Goal',
  'Immunization',
  'MedicationAdministration',
  'MedicationDispense',
  'MedicationRequest',
  'Observation',
  'Procedure',
  'ServiceRequest',
  'Specimen',
];

async function viewOf(user: GuideUser): Promise<PatientView> {
  const token = await accessTokenFor(app, user);
  const response = await app.inject({
    method: 'GET',
    url: `/api/ccda?patient=${user.patientId}`,
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.statusCode).toBe(200);
  const record: Resource[] = await searchAll(`Patient?_id=${user.patientId}`, token);
  for (const type of RECORD_TYPES) {
    // US Core's CarePlan search requires a category; every CarePlan of US Core is `assess-plan`.
    const category = type === 'CarePlan' ? '&category=assess-plan' : '';
    record.push(
      ...(await searchAll(`${type}?patient=${user.patientId}${category}&_count=200`, token)),
    );
  }
  // Practitioners and organizations are read, not searched, on this server.
  const shared = new Map<string, Resource>();
  const references = JSON.stringify(record).match(/"(Practitioner|Organization)\/[^"]+"/g) ?? [];
  for (const reference of new Set(references.map((quoted) => quoted.slice(1, -1)))) {
    const read = await app.inject({
      method: 'GET',
      url: `${FHIR}/${reference}`,
      headers: { authorization: `Bearer ${token}` },
    });
    if (read.statusCode === 200) shared.set(reference, read.json<Resource>());
  }
  return { ccda: convertXmlToCcda(response.body), record, shared };
}

const ofType = <T extends Resource['resourceType']>(record: readonly Resource[], type: T) =>
  record.filter((resource) => resource.resourceType === type) as Extract<
    Resource,
    { resourceType: T }
  >[];

const categoryOf = (observation: Observation) => observation.category?.[0]?.coding?.[0]?.code;

/**
 * How many entries each section should hold, from the FHIR record: one per resource, except
 * results (a Result Organizer per report, and per laboratory observation outside any report),
 * vital signs (a Vital Signs Organizer per time of measurement), medications (an order given in
 * the office is listed as its administrations) and payers (one Coverage Activity for all
 * policies).
 */
function expectedEntries(record: readonly Resource[]): Record<string, number> {
  const observations = ofType(record, 'Observation');
  const reports = ofType(record, 'DiagnosticReport').filter(
    (report: DiagnosticReport) => (report.result ?? []).length > 0,
  );
  const reported = new Set(
    reports.flatMap((report) => (report.result ?? []).map((result) => result.reference)),
  );
  const laboratory = observations.filter((o) => categoryOf(o) === 'laboratory');
  const vitalTimes = new Set(
    observations.filter((o) => categoryOf(o) === 'vital-signs').map((o) => o.effectiveDateTime),
  );
  const administered = new Set(
    ofType(record, 'MedicationAdministration').map((given) => given.request?.reference),
  );
  const pending = ofType(record, 'ServiceRequest').filter((order) =>
    ['draft', 'active', 'on-hold'].includes(order.status),
  );
  return {
    '48765-2': ofType(record, 'AllergyIntolerance').length,
    '10160-0':
      ofType(record, 'MedicationRequest').filter(
        (order) => !administered.has(`MedicationRequest/${order.id ?? ''}`),
      ).length + ofType(record, 'MedicationAdministration').length,
    '11450-4': ofType(record, 'Condition').length,
    '47519-4': ofType(record, 'Procedure').length,
    '30954-2':
      reports.length + laboratory.filter((o) => !reported.has(`Observation/${o.id ?? ''}`)).length,
    '8716-3': vitalTimes.size,
    '11369-6': ofType(record, 'Immunization').length,
    '29762-2': observations.filter((o) => categoryOf(o) === 'social-history').length,
    '46240-8': ofType(record, 'Encounter').length,
    '18776-5': ofType(record, 'CarePlan').length + pending.length,
    '61146-7': ofType(record, 'Goal').length,
    '85847-2': ofType(record, 'CareTeam').length,
    '46264-8': ofType(record, 'Device').length,
    '11488-4': ofType(record, 'DocumentReference').length,
    '48768-6': ofType(record, 'Coverage').length > 0 ? 1 : 0,
  };
}

const sectionsOf = (ccda: Ccda): CcdaSection[] =>
  (ccda.component?.structuredBody.component ?? []).flatMap((component) => component.section);

const sectionCoded = (ccda: Ccda, loinc: string): CcdaSection | undefined =>
  sectionsOf(ccda).find((section) => section.code?.['@_code'] === loinc);

const ombCode = (patient: Patient, url: string): string | undefined =>
  (patient.extension ?? [])
    .find((extension: Extension) => extension.url === url)
    ?.extension?.find((inner) => inner.url === 'ombCategory')?.valueCoding?.code;

const npiOf = (practitioner: Resource | undefined): string | undefined =>
  practitioner?.resourceType === 'Practitioner'
    ? (practitioner as Practitioner).identifier?.find((identifier) => identifier.system === NPI)
        ?.value
    : undefined;

const idExtensions = (ids: { '@_extension'?: string }[] | undefined): (string | undefined)[] =>
  (ids ?? []).map((id) => id['@_extension']);

describe.each(Object.entries(GUIDE_USERS))('the C-CDA of %s', (_name, user) => {
  let view: PatientView;
  beforeAll(async () => {
    view = await viewOf(user);
  }, 60_000);

  const patientOf = () => ofType(view.record, 'Patient')[0] as Patient;

  test.each(CCD_SECTIONS)(
    'has the %s section with one entry per entry of the FHIR record',
    (_section, loinc) => {
      const section = sectionCoded(view.ccda, loinc);
      expect(section, `section ${loinc}`).toBeDefined();
      const expected = expectedEntries(view.record)[loinc] ?? -1;
      expect(section?.entry?.length ?? 0).toBe(expected);
      expect(section?.['@_nullFlavor']).toBe(expected === 0 ? 'NI' : undefined);
    },
  );

  test("names the patient with the Patient's identifiers, name, birth date and sex", () => {
    const patient = patientOf();
    const role = view.ccda.recordTarget?.[0]?.patientRole;
    const ids = idExtensions(role?.id);
    expect(ids).toContain(patient.id);
    for (const identifier of patient.identifier ?? []) expect(ids).toContain(identifier.value);
    const name = role?.patient?.name?.[0];
    expect(name?.family).toBe(patient.name?.[0]?.family);
    expect(name?.given).toEqual(patient.name?.[0]?.given);
    expect(role?.patient?.birthTime?.['@_value']).toBe(patient.birthDate?.replace(/-/g, ''));
    expect(role?.patient?.administrativeGenderCode?.['@_code']).toBe(
      patient.gender?.charAt(0).toUpperCase(),
    );
  });

  test("gives the patient the Patient's race and ethnicity", () => {
    const patient = patientOf();
    const person = view.ccda.recordTarget?.[0]?.patientRole?.patient;
    expect(person?.raceCode?.[0]?.['@_code']).toBe(
      ombCode(patient, 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race'),
    );
    expect(person?.ethnicGroupCode?.[0]?.['@_code']).toBe(
      ombCode(patient, 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity'),
    );
  });

  test("is in the custody of the practice that issued the patient's medical record number", () => {
    const assigner = patientOf().identifier?.find((identifier) =>
      identifier.type?.coding?.some((coding) => coding.code === 'MR'),
    )?.assigner;
    const practice = view.shared.get(assigner?.reference ?? '') as Organization | undefined;
    expect(practice?.name).toBeDefined();
    const custodian = view.ccda.custodian?.assignedCustodian.representedCustodianOrganization;
    expect(custodian?.name).toEqual([practice?.name]);
    expect(idExtensions(custodian?.id)).toContain(practice?.id);
  });

  test("is authored by the care team's first member and names the whole team as performers", () => {
    const team = ofType(view.record, 'CareTeam').find(
      (candidate: CareTeam) => candidate.status === 'active',
    );
    const members = (team?.participant ?? []).map((participant) =>
      view.shared.get(participant.member?.reference ?? ''),
    );
    expect(members.length).toBeGreaterThan(0);
    const author = view.ccda.author?.[0]?.assignedAuthor;
    expect(idExtensions(author?.id)).toContain(npiOf(members[0]));
    // medplum's model has no service event performers; the renderer adds them (CcdaPerformer).
    const serviceEvent = view.ccda.documentationOf?.serviceEvent as
      { performer?: CcdaPerformer[] } | undefined;
    const performers = (serviceEvent?.performer ?? []).map((performer) =>
      idExtensions(performer.assignedEntity.id),
    );
    expect(performers.map((ids) => ids.find((id) => members.map(npiOf).includes(id)))).toEqual(
      members.map(npiOf),
    );
  });

  /** The Medications section's activities, by the FHIR ids in their `id` extensions. */
  const activities = () =>
    (sectionCoded(view.ccda, '10160-0')?.entry ?? []).flatMap(
      (entry) => entry.substanceAdministration ?? [],
    );
  const activityOf = (id: string | undefined) =>
    activities().find((activity) => idExtensions(activity.id).includes(id));
  const suppliesOf = (activity: CcdaSubstanceAdministration | undefined) =>
    [activity?.entryRelationship ?? []]
      .flat()
      .flatMap((relationship) => [(relationship as SupplyRelationship).supply ?? []].flat());

  test('lists each administration as a Medication Activity in EVN mood, at the time it was given', () => {
    const administrations = ofType(view.record, 'MedicationAdministration');
    for (const administration of administrations) {
      const activity = activityOf(administration.id);
      expect(activity, `MedicationAdministration/${administration.id ?? ''}`).toBeDefined();
      expect(activity?.['@_moodCode']).toBe('EVN');
      expect(idExtensions(activity?.id)).toContain(
        administration.request?.reference?.replace('MedicationRequest/', ''),
      );
      expect([activity?.effectiveTime ?? []].flat()[0]?.['@_value']).toBe(
        administration.effectiveDateTime
          ?.replace(/[-:]/g, '')
          .replace('T', '')
          .replace('Z', '+0000'),
      );
      expect(activity?.doseQuantity?.['@_value']).toBe(String(administration.dosage?.dose?.value));
    }
  });

  test("nests each prescription's supply order and each of its fills in its Medication Activity", () => {
    const dispenses = ofType(view.record, 'MedicationDispense');
    const prescriptions = ofType(view.record, 'MedicationRequest').filter(
      (request) => request.dispenseRequest !== undefined,
    );
    expect(prescriptions.length).toBeGreaterThan(0);
    for (const request of prescriptions) {
      const supplies = suppliesOf(activityOf(request.id));
      const order = supplies.find((supply) => supply['@_moodCode'] === 'INT');
      expect(order?.repeatNumber?.['@_value']).toBe(
        String((request.dispenseRequest?.numberOfRepeatsAllowed ?? 0) + 1),
      );
      const fills = dispenses.filter(
        (dispense) =>
          dispense.authorizingPrescription?.[0]?.reference ===
          `MedicationRequest/${request.id ?? ''}`,
      );
      const listed = supplies.filter((supply) => supply['@_moodCode'] === 'EVN');
      expect(listed.flatMap((supply) => idExtensions([supply.id].flat())).sort()).toEqual(
        fills.map((fill) => fill.id).sort(),
      );
      const byTime = [...fills].sort((a, b) =>
        (a.whenHandedOver ?? '').localeCompare(b.whenHandedOver ?? ''),
      );
      for (const fill of fills) {
        const supply = listed.find((candidate) =>
          idExtensions([candidate.id].flat()).includes(fill.id),
        );
        expect(supply?.quantity?.['@_value']).toBe(String(fill.quantity?.value));
        expect(supply?.expectedUseTime?.width['@_value']).toBe(String(fill.daysSupply?.value));
        expect(supply?.repeatNumber?.['@_value']).toBe(String(byTime.indexOf(fill) + 1));
      }
    }
  });

  test("names each report's specimens in its Result Organizer by accession number and type", () => {
    const organizers = (sectionCoded(view.ccda, '30954-2')?.entry ?? []).flatMap(
      (entry) => entry.organizer ?? [],
    );
    for (const report of ofType(view.record, 'DiagnosticReport')) {
      const organizer = organizers.find((candidate) =>
        idExtensions(candidate.id).includes(report.id),
      ) as (CcdaOrganizer & { specimen?: CcdaSpecimen | CcdaSpecimen[] }) | undefined;
      const named = [organizer?.specimen ?? []].flat();
      const specimens = (report.specimen ?? []).map((reference) =>
        ofType(view.record, 'Specimen').find(
          (specimen) => `Specimen/${specimen.id ?? ''}` === reference.reference,
        ),
      );
      expect(named.map((specimen) => idExtensions([specimen.specimenRole.id].flat()))).toEqual(
        specimens.map((specimen) => [specimen?.accessionIdentifier?.value]),
      );
      expect(
        named.map((specimen) => specimen.specimenRole.specimenPlayingEntity?.code['@_code']),
      ).toEqual(specimens.map((specimen) => specimen?.type?.coding?.[0]?.code));
    }
  });

  test('lists each policy of the patient with its payer and member id', () => {
    const coverages = ofType(view.record, 'Coverage');
    const policies = (sectionCoded(view.ccda, '48768-6')?.entry ?? []).flatMap((entry) =>
      (entry.act ?? []).flatMap((act) =>
        (act.entryRelationship ?? []).flatMap((relationship) => relationship.act ?? []),
      ),
    );
    expect(policies).toHaveLength(coverages.length);
    for (const coverage of coverages) {
      const payer = view.shared.get(coverage.payor[0]?.reference ?? '') as Organization;
      const policy = policies.find((act) =>
        idExtensions(act.id).includes(coverage.identifier?.[0]?.value),
      );
      expect(policy, `Coverage/${coverage.id ?? ''}`).toBeDefined();
      expect(policy?.performer?.[0]?.assignedEntity?.representedOrganization?.name).toEqual([
        payer.name,
      ]);
      // medplum's parser keeps a lone participant as an object, several as an array.
      const covered = [policy?.participant ?? []]
        .flat()
        .find((party) => party['@_typeCode'] === 'COV');
      const memberId = coverage.identifier?.find((identifier) =>
        identifier.type?.coding?.some((coding) => coding.code === 'MB'),
      )?.value;
      expect(idExtensions(covered?.participantRole?.id)).toContain(memberId);
    }
  });
});
