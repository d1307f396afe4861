import type {
  Ccda,
  CcdaCode,
  CcdaEffectiveTime,
  CcdaEntry,
  CcdaId,
  CcdaObservation,
  CcdaOrganizer,
  CcdaReferenceRange,
  CcdaSection,
  CcdaTemplateId,
} from '@medplum/ccda';
import type {
  Observation,
  ObservationReferenceRange,
  Quantity,
  Resource,
} from '@medplum/fhirtypes';

/**
 * Corrections of `@medplum/ccda` 4.5.2's model, each for a rule of the C-CDA R2.1 schematron or
 * the CDA schema that its output breaks on the mock's records. Run on the model before it is
 * serialised, never on XML text.
 */

const SNOMED = '2.16.840.1.113883.6.96';
const LOINC = '2.16.840.1.113883.6.1';
const RESULT_ORGANIZER = '2.16.840.1.113883.10.20.22.4.1';
const VITAL_SIGNS_ORGANIZER = '2.16.840.1.113883.10.20.22.4.26';

/** What the corrections look up: the converted resources, by id. */
export interface CorrectionContext {
  resources: ReadonlyMap<string, Resource>;
  /** The OID under which the practice's FHIR ids become CDA ids (`root` + `extension`). */
  idRoot: string;
}

type Node = Record<string, unknown>;

const isNode = (value: unknown): value is Node =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Calls `visit` for every object in the model, depth first, with the key it is under. */
function walk(value: unknown, visit: (node: Node, key: string) => void, key = ''): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, visit, key);
  } else if (isNode(value)) {
    visit(value, key);
    for (const child in value) {
      const nested = value[child];
      if (typeof nested === 'object' && !child.startsWith('@_')) walk(nested, visit, child);
    }
  }
}

const OID = /^[0-2](\.(0|[1-9][0-9]*))*$/;
const UUID = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/;

/**
 * A CDA `II.root` is an OID or a UUID (the schema's `uid`); medplum writes a FHIR id there
 * (`root="500000001"`, not a valid uid), and an identifier's system after `urn:oid:` whatever
 * follows. The id moves to `extension`, under the practice's root.
 * @see https://www.hl7.org/documentcenter/public/standards/cda/r2/cda_r2_normativewebedition2010/infrastructure/datatypes/datatypes.html#dt-II
 */
function fixId(node: Node, idRoot: string): void {
  const root = node['@_root'];
  if (typeof root !== 'string' || OID.test(root) || UUID.test(root)) return;
  node['@_root'] = idRoot;
  if (node['@_extension'] === undefined) {
    node['@_extension'] = root;
  } else {
    // An identifier whose system is no OID (`urn:oid:` before a URL): kept under the practice's
    // root, the system named as the assigning authority.
    node['@_assigningAuthorityName'] ??= root;
  }
}

/** The templateIds of a section or entry, whatever object holds them. */
const templatesOf = (node: Node): CcdaTemplateId[] =>
  Array.isArray(node.templateId) ? (node.templateId as CcdaTemplateId[]) : [];

const hasTemplate = (node: Node, root: string): boolean =>
  templatesOf(node).some((template) => template['@_root'] === root);

// C-CDA R2.1 Vol. 1, 1.8.2 "Backwards compatibility": a section template whose R1.1 version
// exists is asserted with both ids (CONF:1198-32934); medplum writes only the R2.1 one for five.
const R11_SECTIONS = new Set([
  '2.16.840.1.113883.10.20.22.2.1.1',
  '2.16.840.1.113883.10.20.22.2.2.1',
  '2.16.840.1.113883.10.20.22.2.3.1',
  '2.16.840.1.113883.10.20.22.2.4.1',
  '2.16.840.1.113883.10.20.22.2.5.1',
  '2.16.840.1.113883.10.20.22.2.6.1',
  '2.16.840.1.113883.10.20.22.2.7.1',
  '2.16.840.1.113883.10.20.22.2.22.1',
]);

function addR11SectionTemplates(section: CcdaSection): void {
  for (const template of [...section.templateId]) {
    const root = template['@_root'];
    if (template['@_extension'] !== undefined && R11_SECTIONS.has(root)) {
      if (!section.templateId.some((other) => other['@_root'] === root && !other['@_extension'])) {
        section.templateId.unshift({ '@_root': root });
      }
    }
  }
}

function pq(quantity: Quantity | undefined): Node | undefined {
  if (quantity?.value === undefined) return undefined;
  return { '@_value': String(quantity.value), '@_unit': quantity.code ?? quantity.unit ?? '1' };
}

/**
 * A Result Observation's reference range SHALL carry a value (CONF:1198-32175); medplum writes
 * only a narrative reference, empty on these records. Rebuilt from the FHIR range as `IVL_PQ`.
 */
function referenceRanges(observation: Observation | undefined): CcdaReferenceRange[] | undefined {
  const ranges = (observation?.referenceRange ?? [])
    .map((range: ObservationReferenceRange) => {
      const low = pq(range.low);
      const high = pq(range.high);
      if (low === undefined && high === undefined) return undefined;
      const value = { '@_xsi:type': 'IVL_PQ', ...(low && { low }), ...(high && { high }) };
      return {
        observationRange: {
          ...(range.text !== undefined && { text: { '#text': range.text } }),
          value,
        },
      } as unknown as CcdaReferenceRange;
    })
    .filter((range): range is CcdaReferenceRange => range !== undefined);
  return ranges.length > 0 ? ranges : undefined;
}

const fhirIdOf = (node: { id?: CcdaId[] }): string | undefined => node.id?.[0]?.['@_root'];

function fixObservation(observation: CcdaObservation, context: CorrectionContext): void {
  const id = fhirIdOf(observation);
  const source = id === undefined ? undefined : context.resources.get(id);
  if (observation.referenceRange !== undefined || source?.resourceType === 'Observation') {
    observation.referenceRange =
      source?.resourceType === 'Observation' ? referenceRanges(source) : undefined;
  }
}

function observationsOf(entry: CcdaEntry): CcdaObservation[] {
  const direct = entry.observation ?? [];
  const nested = (entry.organizer ?? []).flatMap((organizer) =>
    organizer.component.flatMap((component) => component.observation ?? []),
  );
  return [...direct, ...nested];
}

const effectiveOf = (observation: CcdaObservation): string =>
  observation.effectiveTime?.[0]?.['@_value'] ??
  observation.effectiveTime?.[0]?.low?.['@_value'] ??
  '';

/**
 * Vital signs go in Vital Signs Organizers coded 46680005 "Vital signs" (CONF:1198-32741/32742),
 * one per time of measurement; medplum makes an organizer of each panel (coded as the panel) and
 * leaves single measurements bare. Component observations of a panel share its FHIR id, so each
 * gets its own.
 */
function regroupVitalSigns(section: CcdaSection): void {
  const byTime = new Map<string, CcdaObservation[]>();
  for (const entry of section.entry ?? []) {
    const panelId = entry.organizer?.[0]?.id?.[0]?.['@_root'];
    observationsOf(entry).forEach((observation, index) => {
      if (panelId !== undefined && fhirIdOf(observation) === panelId) {
        observation.id = [{ '@_root': `${panelId}-${index + 1}` }];
      }
      const time = effectiveOf(observation);
      const group = byTime.get(time);
      if (group) group.push(observation);
      else byTime.set(time, [observation]);
    });
  }
  section.entry = [...byTime].map(([time, observations]) => ({
    organizer: [
      {
        '@_classCode': 'CLUSTER',
        '@_moodCode': 'EVN',
        templateId: [
          { '@_root': VITAL_SIGNS_ORGANIZER },
          { '@_root': VITAL_SIGNS_ORGANIZER, '@_extension': '2015-08-01' },
        ],
        id: [{ '@_root': `vitals-${time}` }],
        code: {
          '@_code': '46680005',
          '@_codeSystem': SNOMED,
          '@_codeSystemName': 'SNOMED CT',
          '@_displayName': 'Vital signs',
          translation: [
            {
              '@_code': '74728-7',
              '@_codeSystem': LOINC,
              '@_codeSystemName': 'LOINC',
              '@_displayName':
                'Vital signs, weight, height, head circumference, oximetry, BMI, and BSA panel',
            },
          ],
        },
        statusCode: { '@_code': 'completed' },
        effectiveTime: [{ '@_value': time }],
        component: observations.map((observation) => ({ observation: [observation] })),
      } satisfies CcdaOrganizer,
    ],
  }));
}

/**
 * Results are Result Organizers (the Results section's entries, CONF:1198-7112); a laboratory
 * observation outside any report is put in an organizer of its own, coded as the observation.
 */
function organizeResults(section: CcdaSection): void {
  section.entry = (section.entry ?? []).map((entry) => {
    const observation = entry.observation?.[0];
    if (observation === undefined || entry.organizer !== undefined) return entry;
    return {
      organizer: [
        {
          '@_classCode': 'CLUSTER',
          '@_moodCode': 'EVN',
          templateId: [
            { '@_root': RESULT_ORGANIZER },
            { '@_root': RESULT_ORGANIZER, '@_extension': '2015-08-01' },
          ],
          id: [{ '@_root': `${fhirIdOf(observation) ?? 'result'}-organizer` }],
          code: observation.code as CcdaCode,
          statusCode: { '@_code': 'completed' },
          effectiveTime: observation.effectiveTime,
          component: [{ observation: [observation] }],
        },
      ],
    };
  });
}

const ALLERGY_OBSERVATION = '2.16.840.1.113883.10.20.22.4.7';
const REACTION_OBSERVATION = '2.16.840.1.113883.10.20.22.4.9';
const PROCEDURE_ACTIVITY_ACT = '2.16.840.1.113883.10.20.22.4.12';
const GOAL_OBSERVATION = '2.16.840.1.113883.10.20.22.4.121';

/**
 * Entry-level fixes found anywhere in the body:
 * - an Allergy - Intolerance Observation SHALL have an effectiveTime with a low (CONF:1098-7387,
 *   31538): the onset, or `UNK` when the record has none;
 * - a Reaction Observation SHALL have an id (CONF:1098-7329): its allergy's, numbered;
 * - an `assignedPerson` has no `id` in the CDA schema (medplum copies the role's ids into it);
 * - a Goal's targets are not procedures: medplum writes each as a Procedure Activity Act without
 *   id or code (CONF:1098-8292/8293), dropped here (the due date is in the narrative).
 */
function fixEntry(node: Node, key: string): void {
  if (key === 'assignedPerson') delete node.id;
  if (!Array.isArray(node.templateId)) return;
  if (hasTemplate(node, ALLERGY_OBSERVATION)) {
    const times = node.effectiveTime as CcdaEffectiveTime[] | undefined;
    if (times?.[0]?.low === undefined) {
      node.effectiveTime = [{ ...times?.[0], low: { '@_nullFlavor': 'UNK' } }];
    }
    const allergyId = (node.id as CcdaId[] | undefined)?.[0]?.['@_root'] ?? 'allergy';
    let reaction = 0;
    for (const relationship of (node.entryRelationship as Node[] | undefined) ?? []) {
      for (const inner of (relationship.observation as Node[] | undefined) ?? []) {
        if (
          hasTemplate(inner, REACTION_OBSERVATION) &&
          !(inner.id as CcdaId[] | undefined)?.length
        ) {
          reaction += 1;
          inner.id = [{ '@_root': `${allergyId}-reaction-${reaction}` }];
        }
      }
    }
  } else if (hasTemplate(node, GOAL_OBSERVATION) && Array.isArray(node.entryRelationship)) {
    node.entryRelationship = (node.entryRelationship as Node[]).filter(
      (relationship) =>
        !((relationship.act as Node[] | undefined) ?? []).some(
          (act) => hasTemplate(act, PROCEDURE_ACTIVITY_ACT) && act.code === undefined,
        ),
    );
  }
}

/** Applies every correction; `sections` are the body's sections by LOINC code. */
export function correctModel(ccda: Ccda, context: CorrectionContext): void {
  const sections = (ccda.component?.structuredBody.component ?? []).flatMap(
    (component) => component.section,
  );
  for (const section of sections) {
    addR11SectionTemplates(section);
    const code = section.code?.['@_code'];
    if (code === '8716-3') regroupVitalSigns(section);
    if (code === '30954-2') organizeResults(section);
  }
  // One pass, parents before children: an entry is corrected while its ids are still FHIR ids.
  walk(ccda, (node, key) => {
    if (key === 'id') {
      fixId(node, context.idRoot);
      return;
    }
    if (node['@_classCode'] === 'OBS' && Array.isArray(node.templateId) && 'statusCode' in node) {
      fixObservation(node as unknown as CcdaObservation, context);
    }
    fixEntry(node, key);
  });
}
