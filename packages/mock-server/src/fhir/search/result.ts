import type { Resource } from '@medplum/fhirtypes';
import { badRequest, OperationOutcomeError } from '../outcomes.js';
import type { ResourceDefinition, SearchParameterDefinition } from '../search-parameters.js';
import { elementRange } from './date.js';
import { valuesAtAny } from './path.js';
import { referenceKey } from './reference.js';
import { tokensOf } from './token.js';

/** `_summary`'s values; `true` needs the spec's summary flags, which this mock does not carry. */
export type SummaryMode = 'text' | 'data' | 'count' | 'false';

/** `_total`'s values: HAPI counts every match either way, so `estimate` is exact too. */
export type TotalMode = 'none' | 'estimate' | 'accurate';

/** One `_sort` key. */
export interface SortKey {
  param: SearchParameterDefinition;
  descending: boolean;
}

/** `_lastUpdated`, which every type has: `meta.lastUpdated` as a date parameter. */
export const LAST_UPDATED: SearchParameterDefinition = {
  name: '_lastUpdated',
  type: 'date',
  paths: ['meta.lastUpdated'],
};

const ID: SearchParameterDefinition = { name: '_id', type: 'id', paths: ['id'] };

/**
 * Parses `_sort` (`date,-_lastUpdated`): any search parameter of the type, `_id` or
 * `_lastUpdated`, `-` for descending; throws HAPI's 400 for an unknown one.
 * @see https://hl7.org/fhir/R4/search.html#sort
 */
export function parseSort(definition: ResourceDefinition, raw: string): SortKey[] {
  return raw.split(',').map((item) => {
    const descending = item.startsWith('-');
    const name = descending ? item.slice(1) : item;
    const param =
      name === '_id' ? ID : name === '_lastUpdated' ? LAST_UPDATED : definition.params.get(name);
    if (!param) {
      const valid = ['_id', '_lastUpdated', ...definition.params.keys()]
        .filter((value, index, all) => all.indexOf(value) === index)
        .sort();
      throw new OperationOutcomeError(
        badRequest(
          `Unknown _sort parameter value "${name}" for resource type "${definition.type}" (Note: sort parameters values must use a valid Search Parameter).  Valid values for this search are: [${valid.join(', ')}]`,
          '_sort',
        ),
      );
    }
    return { param, descending };
  });
}

const SUMMARY: ReadonlySet<string> = new Set(['text', 'data', 'count', 'false']);

/**
 * Parses the `_summary` values of a request (HAPI accepts one, or several without `text`).
 * @see https://hl7.org/fhir/R4/search.html#summary
 */
export function parseSummary(values: readonly string[]): SummaryMode | undefined {
  if (values.length === 0) return undefined;
  if (values.length > 1 && values.includes('text')) {
    throw new OperationOutcomeError(
      badRequest('Can not combine _summary=text with other values for _summary', '_summary'),
    );
  }
  for (const value of values) {
    if (value === 'true') {
      throw new OperationOutcomeError(
        badRequest(
          '_summary=true is not supported by this server: use _elements to name the elements wanted',
          '_summary',
        ),
      );
    }
    if (!SUMMARY.has(value)) {
      throw new OperationOutcomeError(
        badRequest(
          `Invalid _summary value "${value}": expected one of true, text, data, count, false`,
          '_summary',
        ),
      );
    }
  }
  return values[values.length - 1] as SummaryMode;
}

/** Parses `_total`; throws a 400 for a value other than none, estimate and accurate. */
export function parseTotal(raw: string): TotalMode {
  if (raw === 'none' || raw === 'estimate' || raw === 'accurate') return raw;
  throw new OperationOutcomeError(
    badRequest(
      `Invalid _total parameter value: "${raw}". Valid values are: accurate, estimate, none`,
      '_total',
    ),
  );
}

/** Parses `_elements` (`code,value`): top-level element names of the resource. */
export function parseElements(raw: string): string[] {
  const names = raw
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  for (const name of names) {
    if (!/^[A-Za-z][A-Za-z0-9]*(\[x\])?$/.test(name.replace(/^[A-Z][A-Za-z]+\./, ''))) {
      throw new OperationOutcomeError(badRequest(`Invalid _elements value "${name}"`, '_elements'));
    }
  }
  // `Observation.code` names `code` of that type: other types' elements are not asked for.
  return names.map((name) => name.replace(/^[A-Z][A-Za-z]+\./, ''));
}

type SortValue = number | string | undefined;

function sortValue(resource: Resource, param: SearchParameterDefinition, last: boolean): SortValue {
  const values = valuesAtAny(resource, param.paths);
  if (param.type === 'date') {
    const times = values.flatMap((value) => {
      const range = elementRange(value);
      return range ? [last ? range.end : range.start] : [];
    });
    if (times.length === 0) return undefined;
    return last ? Math.max(...times) : Math.min(...times);
  }
  const texts = values.flatMap((value): string[] => {
    if (param.type === 'reference') return [referenceKey(value) ?? ''];
    if (param.type === 'token') return tokensOf(value).map((token) => token.code ?? '');
    return typeof value === 'string' ? [value.toLowerCase()] : [];
  });
  if (texts.length === 0) return undefined;
  return texts.sort()[last ? texts.length - 1 : 0];
}

function compare(a: SortValue, b: SortValue): number {
  if (a === b) return 0;
  // Resources without a value come last, whatever the direction, as HAPI's JPA sorts them.
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return a < b ? -1 : 1;
}

/**
 * The matches ordered by the `_sort` keys (ties keep the server's stable order); each key's value
 * is computed once per resource, so a sort costs one pass plus the comparison.
 */
export function sortMatches<T extends { resource: Resource; ordinal: number }>(
  matches: readonly T[],
  keys: readonly SortKey[],
): T[] {
  const decorated = matches.map((stored) => ({
    stored,
    values: keys.map((key) => sortValue(stored.resource, key.param, key.descending)),
  }));
  decorated.sort((a, b) => {
    for (let i = 0; i < keys.length; i += 1) {
      const order = compare(a.values[i], b.values[i]);
      if (order !== 0) {
        const bothPresent = a.values[i] !== undefined && b.values[i] !== undefined;
        return keys[i]?.descending && bothPresent ? -order : order;
      }
    }
    return a.stored.ordinal - b.stored.ordinal;
  });
  return decorated.map((item) => item.stored);
}

const SUBSETTED = {
  system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue',
  code: 'SUBSETTED',
  display: 'Resource encoded in summary mode',
};

/** What a subsetted rendering keeps: named elements, or everything but the narrative. */
export type Subset = { elements: readonly string[] } | { mode: 'text' | 'data' };

/**
 * The resource as `_elements` or `_summary` asks for it, tagged `SUBSETTED` as HAPI tags it:
 * `resourceType`, `id` and `meta` always, then the named elements (`_elements`), the narrative
 * and the mandatory elements (`text`), or everything but the narrative (`data`).
 * @see https://hl7.org/fhir/R4/search.html#elements
 */
export function subsetResource(resource: Resource, subset: Subset): Resource {
  const source = resource as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = { resourceType: resource.resourceType };
  if (resource.id !== undefined) out.id = resource.id;
  const meta = resource.meta ?? {};
  out.meta = { ...meta, tag: [...(meta.tag ?? []), SUBSETTED] };
  if ('elements' in subset) {
    for (const name of subset.elements) {
      const key = name.replace(/\[x\]$/, '');
      for (const [field, value] of Object.entries(source)) {
        if (field === key || (name.endsWith('[x]') && field.startsWith(key))) out[field] = value;
      }
    }
  } else {
    for (const [field, value] of Object.entries(source)) {
      if (field === 'resourceType' || field === 'id' || field === 'meta') continue;
      if (subset.mode === 'data' ? field !== 'text' : field === 'text' || MANDATORY.has(field)) {
        out[field] = value;
      }
    }
  }
  return out as unknown as Resource;
}

// Top-level elements with a minimum cardinality of 1 in the R4 types this server holds: what
// `_summary=text` keeps beside the narrative.
const MANDATORY: ReadonlySet<string> = new Set([
  'status',
  'intent',
  'subject',
  'patient',
  'code',
  'class',
  'beneficiary',
  'payor',
  'target',
  'recorded',
  'agent',
  'content',
  'category',
  'lifecycleStatus',
  'description',
  'vaccineCode',
  'medicationCodeableConcept',
  'medicationReference',
  'effectiveDateTime',
  'effectivePeriod',
  'occurrenceDateTime',
  'occurrenceString',
  'contentType',
  'kind',
  'name',
]);
