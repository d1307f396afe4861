import {
  convertCcdaToXml,
  convertFhirToCcda,
  mapFhirToCcdaDateTime,
  type Ccda,
  type CcdaOrganizer,
  type CcdaEntry,
  type CcdaSection,
} from '@medplum/ccda';
import type { CareTeam, Coverage, DocumentReference, Patient, Resource } from '@medplum/fhirtypes';
import { correctModel } from './corrections.js';
import { documentBundle, type DocumentInput } from './document-bundle.js';
import { authorOf, practitionerEntity } from './participants.js';
import { completeMedications } from './medications.js';
import { completePolicies } from './payers.js';
import { completePlan } from './plan.js';
import { addSpecimens } from './specimens.js';
import { noteText, sectionNarrative, type Resolve } from './narrative.js';
import { SECTIONS, type SectionKey } from './sections.js';

/**
 * One patient's document, before the date and scope filters the route applies: the document
 * Bundle's input, whose `resources` may also hold the notes' Binary content.
 */
export type CcdaInput = DocumentInput;

const LOINC = '2.16.840.1.113883.6.1';
const NOTE_ACTIVITY = '2.16.840.1.113883.10.20.22.4.202';
const NUCC = '2.16.840.1.113883.6.101';

/** The OID under which the practice's FHIR ids become CDA instance identifiers. */
export const practiceIdRoot = (practiceId: string): string =>
  `2.16.840.1.113883.3.${practiceId.replace(/\D/g, '') || '0'}.1`;

/**
 * Renders a patient's C-CDA R2.1 Continuity of Care Document: `@medplum/ccda` converts a FHIR
 * document Bundle of the record, the model is corrected and extended where medplum leaves rules
 * unmet or sections empty, and medplum serialises it.
 * @see https://www.hl7.org/ccdasearch/templates/2.16.840.1.113883.10.20.22.1.2.html
 */
export function renderCcda(input: CcdaInput): string {
  const clinical = input.resources.filter((resource) => resource.resourceType !== 'Binary');
  const { bundle, sections, careTeam } = documentBundle({ ...input, resources: clinical });
  const byKey = new Map<string, Resource>();
  const byId = new Map<string, Resource>();
  for (const resource of [input.patient, ...input.resources, ...input.shared]) {
    byKey.set(`${resource.resourceType}/${resource.id ?? ''}`, resource);
    if (resource.id !== undefined && !byId.has(resource.id)) byId.set(resource.id, resource);
  }
  const resolve: Resolve = (reference) =>
    reference?.reference === undefined ? undefined : byKey.get(reference.reference);

  const ccda = convertFhirToCcda(bundle);
  const bodySections = (ccda.component?.structuredBody.component ?? []).flatMap(
    (component) => component.section,
  );
  SECTIONS.forEach((definition, index) => {
    const section = bodySections[index];
    if (section === undefined) return;
    const members = sections.get(definition.key) ?? [];
    section.text = sectionNarrative(definition.key, definition.title, members, resolve, clinical);
    extendSection(definition.key, section, members, { patient: input.patient, clinical, resolve });
  });
  const idRoot = practiceIdRoot(input.practiceId);
  correctHeader(ccda, careTeam, resolve);
  correctRecordTarget(ccda, input.patient, idRoot, resolve);
  correctModel(ccda, { resources: byId, idRoot });
  return convertCcdaToXml(ccda);
}

/** What extending a section may read beyond its members. */
interface SectionContext {
  patient: Patient;
  /** The document's clinical resources: the dispenses of the medications, among others. */
  clinical: readonly Resource[];
  resolve: Resolve;
}

// Entries medplum 4.5.2 does not make or leaves incomplete: supplies and administrations of the
// Medication Activities (it has no Supply act), Policy Activities' placeholders, Note Activities
// (it has no DocumentReference mapping), Care Team Organizers (it copies the FHIR participants'
// JSON into the organizer) and Planned Acts for care plans still in force (it maps completed
// ones only, as instructions).
function extendSection(
  key: SectionKey,
  section: CcdaSection,
  members: readonly Resource[],
  { patient, clinical, resolve }: SectionContext,
): void {
  if (key === 'medications') {
    completeMedications(section, members, clinical, resolve);
    return;
  }
  if (key === 'results') {
    addSpecimens(section, members, resolve);
    return;
  }
  if (key === 'payers') {
    const coverages = members.filter(
      (resource): resource is Coverage => resource.resourceType === 'Coverage',
    );
    completePolicies(section, coverages, patient, resolve);
    return;
  }
  if (key === 'careTeam') {
    section.entry = members
      .filter((resource): resource is CareTeam => resource.resourceType === 'CareTeam')
      .map((team) => careTeamEntry(team, resolve));
    return;
  }
  if (key === 'planOfTreatment') {
    completePlan(section, members, resolve);
    return;
  }
  if (key !== 'notes') return;
  const notes = members.filter(
    (resource): resource is DocumentReference => resource.resourceType === 'DocumentReference',
  );
  section.entry = notes.map((note) => noteEntry(note, resolve));
  if (notes.length > 0) delete section['@_nullFlavor'];
}

/**
 * A Note Activity (C-CDA Companion Guide R2): the note's type as a translation of LOINC 34109-9
 * "Note", its plain text, time and author.
 * @see https://www.hl7.org/ccdasearch/templates/2.16.840.1.113883.10.20.22.4.202.html
 */
function noteEntry(note: DocumentReference, resolve: Resolve): CcdaEntry {
  const type = note.type?.coding?.find((coding) => coding.system === 'http://loinc.org');
  const authored = resolve(note.author?.[0]);
  return {
    act: [
      {
        '@_classCode': 'ACT',
        '@_moodCode': 'EVN',
        templateId: [{ '@_root': NOTE_ACTIVITY, '@_extension': '2016-11-01' }],
        id: [{ '@_root': note.id ?? 'note' }],
        code: {
          '@_code': '34109-9',
          '@_codeSystem': LOINC,
          '@_codeSystemName': 'LOINC',
          '@_displayName': 'Note',
          translation: type
            ? [
                {
                  '@_code': type.code,
                  '@_codeSystem': LOINC,
                  '@_codeSystemName': 'LOINC',
                  '@_displayName': type.display,
                },
              ]
            : undefined,
        },
        text: { '#text': noteText(note.content[0]?.attachment.url, resolve) },
        statusCode: { '@_code': 'completed' },
        effectiveTime:
          note.date === undefined ? undefined : [{ '@_value': mapFhirToCcdaDateTime(note.date) }],
        author:
          authored?.resourceType === 'Practitioner' ? [authorOf(authored, note.date)] : undefined,
      },
    ],
  };
}

/**
 * The header's corrections: the custodian's telecom is exactly one (CONF:1198-5525), and the
 * `documentationOf` service event names the care team's members as its performers.
 * @see https://www.hl7.org/ccdasearch/templates/2.16.840.1.113883.10.20.22.1.2.html
 */
function correctHeader(ccda: Ccda, careTeam: CareTeam | undefined, resolve: Resolve): void {
  const custodian = ccda.custodian?.assignedCustodian.representedCustodianOrganization;
  if (custodian?.telecom !== undefined) custodian.telecom = custodian.telecom.slice(0, 1);
  const serviceEvent = ccda.documentationOf?.serviceEvent;
  if (serviceEvent === undefined || careTeam === undefined) return;
  const performers = (careTeam.participant ?? []).flatMap((participant) => {
    const member = resolve(participant.member);
    if (member?.resourceType !== 'Practitioner') return [];
    const role = participant.role?.[0]?.coding?.[0];
    return [
      {
        '@_typeCode': 'PRF',
        functionCode: role
          ? {
              '@_code': role.code,
              '@_codeSystem': NUCC,
              '@_codeSystemName': 'NUCC',
              '@_displayName': role.display,
            }
          : undefined,
        assignedEntity: practitionerEntity(member),
      },
    ];
  });
  Object.assign(serviceEvent, { performer: performers });
}

const careTeamTime = (team: CareTeam) =>
  team.period?.start === undefined
    ? [{ low: { '@_nullFlavor': 'UNK' as const } }]
    : [{ low: { '@_value': mapFhirToCcdaDateTime(team.period.start) } }];

/**
 * A Care Team Organizer (C-CDA Companion Guide R4, template 4.500) with one Care Team Member Act
 * per practitioner: their NPI, name, specialty and the practice they act for.
 * @see https://www.hl7.org/ccdasearch/templates/2.16.840.1.113883.10.20.22.4.500.html
 */
function careTeamEntry(team: CareTeam, resolve: Resolve): CcdaEntry {
  const status = team.status === 'active' ? 'active' : 'completed';
  return {
    organizer: [
      {
        '@_classCode': 'CLUSTER',
        '@_moodCode': 'EVN',
        templateId: [{ '@_root': '2.16.840.1.113883.10.20.22.4.500', '@_extension': '2022-06-01' }],
        id: [{ '@_root': team.id ?? 'care-team' }],
        code: {
          '@_code': '86744-0',
          '@_codeSystem': LOINC,
          '@_codeSystemName': 'LOINC',
          '@_displayName': 'Care team',
        },
        statusCode: { '@_code': status },
        effectiveTime: careTeamTime(team),
        component: (team.participant ?? []).flatMap((participant, index) => {
          const member = resolve(participant.member);
          if (member?.resourceType !== 'Practitioner') return [];
          const organization = resolve(participant.onBehalfOf);
          return [
            {
              act: [
                {
                  '@_classCode': 'PCPR',
                  '@_moodCode': 'EVN',
                  templateId: [
                    { '@_root': '2.16.840.1.113883.10.20.22.4.500.1', '@_extension': '2022-06-01' },
                  ],
                  id: [{ '@_root': `${team.id ?? 'care-team'}-member-${index + 1}` }],
                  code: {
                    '@_code': '85847-2',
                    '@_codeSystem': LOINC,
                    '@_codeSystemName': 'LOINC',
                    '@_displayName': 'Patient Care team information',
                  },
                  statusCode: { '@_code': status },
                  effectiveTime: careTeamTime(team),
                  performer: [
                    {
                      '@_typeCode': 'PRF',
                      assignedEntity: {
                        ...practitionerEntity(member),
                        representedOrganization:
                          organization?.resourceType === 'Organization' && organization.name
                            ? { name: [organization.name] }
                            : undefined,
                      },
                    },
                  ],
                },
              ],
            },
          ];
        }),
      } as CcdaOrganizer,
    ],
  };
}

const OMB_SYSTEM = '2.16.840.1.113883.6.238';
const ETHNICITY_URL = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity';

/**
 * The recordTarget carries the Patient's identifiers (medplum keeps only those whose system it
 * knows an OID for: the medical record number, issued by the practice, was dropped), its names
 * with CDA's name use (`usual` is the legal name, not medplum's `C` "license"), and the detailed
 * ethnicity as `sdtc:ethnicGroupCode` (medplum writes the OMB category only).
 * @see https://www.hl7.org/ccdasearch/templates/2.16.840.1.113883.10.20.22.1.1.html
 */
function correctRecordTarget(ccda: Ccda, patient: Patient, idRoot: string, resolve: Resolve): void {
  const role = ccda.recordTarget?.[0]?.patientRole;
  if (role === undefined) return;
  const practiceRoot = idRoot.replace(/\.1$/, '');
  role.id = [
    { '@_root': patient.id ?? 'patient' },
    ...(patient.identifier ?? []).map((identifier) => {
      const oid = identifier.system?.startsWith('urn:oid:')
        ? identifier.system.slice(8)
        : undefined;
      const assigner = resolve(identifier.assigner);
      return {
        '@_root': oid ?? practiceRoot,
        '@_extension': identifier.value,
        '@_assigningAuthorityName':
          assigner?.resourceType === 'Organization' ? assigner.name : identifier.type?.text,
      };
    }),
  ];
  const person = role.patient;
  if (person === undefined) return;
  for (const name of person.name ?? []) {
    if (name['@_use'] === 'C') name['@_use'] = 'L';
  }
  const detailed = (patient.extension ?? [])
    .find((extension) => extension.url === ETHNICITY_URL)
    ?.extension?.filter((extension) => extension.url === 'detailed')
    .map((extension) => extension.valueCoding);
  if (detailed !== undefined && detailed.length > 0) {
    // The schema's order: sdtc:ethnicGroupCode right after ethnicGroupCode.
    const { languageCommunication, ...before } = person;
    role.patient = {
      ...before,
      'sdtc:ethnicGroupCode': detailed.map((coding) => ({
        '@_code': coding?.code,
        '@_displayName': coding?.display,
        '@_codeSystem': OMB_SYSTEM,
        '@_codeSystemName': 'CDC Race and Ethnicity',
      })),
      languageCommunication,
    } as typeof person;
  }
}
