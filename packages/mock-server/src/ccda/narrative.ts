import type { CcdaNarrative } from '@medplum/ccda';
import type {
  CodeableConcept,
  Observation,
  ObservationComponent,
  Quantity,
  Reference,
  Resource,
} from '@medplum/fhirtypes';
import { dispensedAt, fillsOf } from './medications.js';
import { memberIdOf, planOf } from './payers.js';
import type { SectionKey } from './sections.js';

/** Resolves a reference of the record or the shared resources. */
export type Resolve = (reference: Reference | undefined) => Resource | undefined;

const conceptText = (concept: CodeableConcept | undefined): string =>
  concept?.text ??
  concept?.coding?.find((coding) => coding.display)?.display ??
  concept?.coding?.[0]?.code ??
  '';

const quantityText = (quantity: Quantity | undefined): string =>
  quantity?.value === undefined
    ? ''
    : `${quantity.value} ${quantity.unit ?? quantity.code ?? ''}`.trim();

function valueText(value: Observation | ObservationComponent): string {
  if (value.valueQuantity) return quantityText(value.valueQuantity);
  if (value.valueCodeableConcept) return conceptText(value.valueCodeableConcept);
  if (value.valueString !== undefined) return value.valueString;
  if (value.valueInteger !== undefined) return String(value.valueInteger);
  if (value.valueBoolean !== undefined) return String(value.valueBoolean);
  return '';
}

function observationValue(observation: Observation): string {
  const own = valueText(observation);
  if (own !== '' || !observation.component) return own;
  return observation.component
    .map((component) => `${conceptText(component.code)}: ${valueText(component)}`)
    .join('; ');
}

/** A FHIR date or dateTime, or a Period, as the narrative shows it (`2021-04-11 15:24 UTC`). */
function dateText(value: unknown): string {
  if (typeof value === 'string') {
    return value.length > 10 ? `${value.slice(0, 10)} ${value.slice(11, 16)} UTC` : value;
  }
  if (value !== null && typeof value === 'object') {
    const period = value as { start?: string; end?: string };
    const start = period.start === undefined ? '' : dateText(period.start);
    const end = period.end === undefined ? '' : dateText(period.end);
    return end === '' ? start : `${start} to ${end}`;
  }
  return '';
}

function nameOf(resource: Resource | undefined, fallback: Reference | undefined): string {
  if (resource && 'name' in resource) {
    const name = resource.name;
    if (typeof name === 'string') return name;
    if (Array.isArray(name) && name.length > 0) {
      const first = name[0] as {
        text?: string;
        prefix?: string[];
        given?: string[];
        family?: string;
      };
      if (first.text) return first.text;
      return [...(first.prefix ?? []), ...(first.given ?? []), first.family ?? ''].join(' ').trim();
    }
  }
  return fallback?.display ?? '';
}

/** One row per entry; the cells under the section's headings. */
interface Table {
  headings: readonly string[];
  rows: readonly (readonly string[])[];
}

// A sample as the results show it: `Venous blood S598997184, collected 2018-03-14 10:00 UTC`.
function specimenText(specimen: Resource | undefined): string {
  if (specimen?.resourceType !== 'Specimen') return '';
  const sample = [conceptText(specimen.type), specimen.accessionIdentifier?.value]
    .filter((part) => part !== undefined && part !== '')
    .join(' ');
  const collected = specimen.collection?.collectedDateTime;
  return collected === undefined ? sample : `${sample}, collected ${dateText(collected)}`;
}

const medicationName = (
  concept: CodeableConcept | undefined,
  reference: Reference | undefined,
  resolve: Resolve,
): string =>
  conceptText(concept) ||
  nameOf(undefined, reference) ||
  conceptText((resolve(reference) as { code?: CodeableConcept } | undefined)?.code);

function sectionTable(
  key: SectionKey,
  resources: readonly Resource[],
  resolve: Resolve,
  related: readonly Resource[],
): Table {
  switch (key) {
    case 'allergies':
      return {
        headings: ['Substance', 'Reaction', 'Severity', 'Criticality', 'Status', 'Recorded'],
        rows: resources.flatMap((r) =>
          r.resourceType === 'AllergyIntolerance'
            ? [
                [
                  conceptText(r.code),
                  (r.reaction ?? [])
                    .flatMap((reaction) => reaction.manifestation.map(conceptText))
                    .join(', '),
                  (r.reaction ?? []).map((reaction) => reaction.severity ?? '').join(', '),
                  r.criticality ?? '',
                  conceptText(r.clinicalStatus),
                  dateText(r.recordedDate),
                ],
              ]
            : [],
        ),
      };
    case 'medications':
      return {
        headings: [
          'Medication',
          'Instructions',
          'Status',
          'Prescribed or given',
          'Prescriber or performer',
          'Fills',
        ],
        rows: resources.flatMap((r) => {
          if (r.resourceType === 'MedicationAdministration') {
            return [
              [
                medicationName(r.medicationCodeableConcept, r.medicationReference, resolve),
                r.dosage?.text ?? '',
                r.status,
                dateText(r.effectiveDateTime ?? r.effectivePeriod),
                (r.performer ?? []).map((p) => nameOf(resolve(p.actor), p.actor)).join(', '),
                'Given in the office',
              ],
            ];
          }
          if (r.resourceType !== 'MedicationRequest') return [];
          const fills = fillsOf(r, related).map(dispensedAt);
          return [
            [
              medicationName(r.medicationCodeableConcept, r.medicationReference, resolve),
              r.dosageInstruction?.map((dosage) => dosage.text ?? '').join('; ') ?? '',
              r.status,
              dateText(r.authoredOn),
              nameOf(resolve(r.requester), r.requester),
              fills.length === 0
                ? ''
                : `${fills.length} dispensed, last ${dateText(fills[fills.length - 1])}`,
            ],
          ];
        }),
      };
    case 'problems':
      return {
        headings: ['Problem', 'Category', 'Status', 'Onset'],
        rows: resources.flatMap((r) =>
          r.resourceType === 'Condition'
            ? [
                [
                  conceptText(r.code),
                  r.category?.map(conceptText).join(', ') ?? '',
                  conceptText(r.clinicalStatus),
                  dateText(r.onsetDateTime ?? r.onsetPeriod ?? r.recordedDate),
                ],
              ]
            : [],
        ),
      };
    case 'procedures':
      return {
        headings: ['Procedure', 'Status', 'Date'],
        rows: resources.flatMap((r) =>
          r.resourceType === 'Procedure'
            ? [[conceptText(r.code), r.status, dateText(r.performedDateTime ?? r.performedPeriod)]]
            : [],
        ),
      };
    case 'results':
      return {
        headings: [
          'Panel',
          'Test',
          'Value',
          'Reference range',
          'Interpretation',
          'Date',
          'Specimen',
        ],
        rows: resources.flatMap((r) => {
          const observations =
            r.resourceType === 'DiagnosticReport'
              ? (r.result ?? [])
                  .map(resolve)
                  .filter((o): o is Observation => o?.resourceType === 'Observation')
              : r.resourceType === 'Observation'
                ? [r]
                : [];
          const panel = r.resourceType === 'DiagnosticReport' ? conceptText(r.code) : '';
          return observations.map((o) => [
            panel,
            conceptText(o.code),
            observationValue(o),
            o.referenceRange?.map((range) => range.text ?? '').join('; ') ?? '',
            o.interpretation?.map(conceptText).join(', ') ?? '',
            dateText(o.effectiveDateTime ?? o.effectivePeriod),
            specimenText(resolve(o.specimen)),
          ]);
        }),
      };
    case 'vitalSigns':
    case 'socialHistory':
      return {
        headings: ['Observation', 'Value', 'Date'],
        rows: resources.flatMap((r) =>
          r.resourceType === 'Observation'
            ? [
                [
                  conceptText(r.code),
                  observationValue(r),
                  dateText(r.effectiveDateTime ?? r.effectivePeriod),
                ],
              ]
            : [],
        ),
      };
    case 'immunizations':
      return {
        headings: ['Vaccine', 'Status', 'Date', 'Lot number'],
        rows: resources.flatMap((r) =>
          r.resourceType === 'Immunization'
            ? [
                [
                  conceptText(r.vaccineCode),
                  r.status,
                  dateText(r.occurrenceDateTime),
                  r.lotNumber ?? '',
                ],
              ]
            : [],
        ),
      };
    case 'encounters':
      return {
        headings: ['Encounter', 'Date', 'Provider', 'Location'],
        rows: resources.flatMap((r) =>
          r.resourceType === 'Encounter'
            ? [
                [
                  r.type?.map(conceptText).join(', ') || (r.class.display ?? r.class.code ?? ''),
                  dateText(r.period),
                  (r.participant ?? [])
                    .map((p) => nameOf(resolve(p.individual), p.individual))
                    .join(', '),
                  (r.location ?? []).map((l) => nameOf(resolve(l.location), l.location)).join(', '),
                ],
              ]
            : [],
        ),
      };
    case 'planOfTreatment':
      return {
        headings: ['Plan', 'Status', 'Date'],
        rows: resources.flatMap((r) => {
          if (r.resourceType === 'CarePlan') {
            return [
              [
                r.title ?? r.description ?? conceptText(r.category?.[0]),
                r.status,
                dateText(r.period),
              ],
            ];
          }
          if (r.resourceType === 'ServiceRequest') {
            return [
              [conceptText(r.code), r.status, dateText(r.occurrenceDateTime ?? r.authoredOn)],
            ];
          }
          return [];
        }),
      };
    case 'goals':
      return {
        headings: ['Goal', 'Status', 'Start', 'Due'],
        rows: resources.flatMap((r) =>
          r.resourceType === 'Goal'
            ? [
                [
                  conceptText(r.description),
                  r.lifecycleStatus,
                  dateText(r.startDate),
                  r.target?.map((target) => dateText(target.dueDate)).join(', ') ?? '',
                ],
              ]
            : [],
        ),
      };
    case 'careTeam':
      return {
        headings: ['Care team', 'Member', 'Role'],
        rows: resources.flatMap((r) =>
          r.resourceType === 'CareTeam'
            ? (r.participant ?? []).map((p) => [
                r.name ?? '',
                nameOf(resolve(p.member), p.member),
                p.role?.map(conceptText).join(', ') ?? '',
              ])
            : [],
        ),
      };
    case 'devices':
      return {
        headings: ['Device', 'UDI', 'Status'],
        rows: resources.flatMap((r) =>
          r.resourceType === 'Device'
            ? [[conceptText(r.type), r.udiCarrier?.[0]?.carrierHRF ?? '', r.status ?? '']]
            : [],
        ),
      };
    case 'payers':
      return {
        headings: ['Payer', 'Plan', 'Coverage type', 'Member id', 'Relationship', 'Period'],
        rows: resources.flatMap((r) =>
          r.resourceType === 'Coverage'
            ? [
                [
                  (r.payor ?? []).map((payer) => nameOf(resolve(payer), payer)).join(', '),
                  planOf(r)?.name ?? '',
                  conceptText(r.type),
                  memberIdOf(r)?.value ?? r.subscriberId ?? '',
                  conceptText(r.relationship),
                  dateText(r.period),
                ],
              ]
            : [],
        ),
      };
    case 'notes':
      return {
        headings: ['Note', 'Date', 'Author', 'Text'],
        rows: resources.flatMap((r) =>
          r.resourceType === 'DocumentReference'
            ? [
                [
                  conceptText(r.type),
                  dateText(r.date),
                  (r.author ?? []).map((a) => nameOf(resolve(a), a)).join(', '),
                  noteText(r.content[0]?.attachment.url, resolve),
                ],
              ]
            : [],
        ),
      };
  }
}

/** The text of a note's plain-text Binary, as the Notes section shows it. */
export function noteText(url: string | undefined, resolve: Resolve): string {
  const binary = resolve(url === undefined ? undefined : { reference: url });
  if (binary?.resourceType !== 'Binary' || !binary.contentType.startsWith('text/plain')) return '';
  return Buffer.from(binary.data ?? '', 'base64').toString('utf8');
}

/**
 * A section's narrative block as a CDA table (`thead`, `tbody`, one row per entry), built from
 * the same resources as its entries: CDA's `StrucDoc.Text` allows tables, paragraphs and lists,
 * not the XHTML of FHIR narratives that medplum copies. `related` are the resources an entry
 * nests (a prescription's dispenses).
 * @see https://www.hl7.org/documentcenter/public/standards/cda/r2/cda_r2_normativewebedition2010/infrastructure/cda/cda.html#Section_Narrative_Block
 */
export function sectionNarrative(
  key: SectionKey,
  title: string,
  resources: readonly Resource[],
  resolve: Resolve,
  related: readonly Resource[] = [],
): CcdaNarrative {
  const table = sectionTable(key, resources, resolve, related);
  if (table.rows.length === 0) return { paragraph: `No ${title.toLowerCase()} recorded.` };
  return {
    table: {
      '@_border': '1',
      '@_width': '100%',
      thead: { tr: { th: [...table.headings] } },
      tbody: {
        tr: table.rows.map((cells) => ({ td: cells.map((cell) => (cell === '' ? '-' : cell)) })),
      },
    },
  };
}
