import { badRequest, OperationOutcomeError } from '../outcomes.js';
import { RESULT_PARAMETERS, type ResourceDefinition } from '../search-parameters.js';
import { compileCriterion, type Criterion } from './criterion.js';
import {
  LAST_UPDATED,
  parseElements,
  parseSort,
  parseSummary,
  parseTotal,
  type SortKey,
  type SummaryMode,
  type TotalMode,
} from './result.js';
import {
  type IncludeRequest,
  parseInclude,
  parseRevinclude,
  type RevincludeRequest,
} from './includes.js';

/** Page size when `_count` is absent (HAPI's plain-server paging provider uses a small default too). */
export const DEFAULT_PAGE_SIZE = 50;
/** Larger `_count` values are lowered to this, as HAPI clamps to its maximum page size. */
export const MAX_PAGE_SIZE = 200;

/**
 * The most `_include` and `_revinclude` parameters one search may carry, repeats counted. A
 * type offers a handful of distinct values, so no honest search comes near; thousands of
 * repeats of `_include=*` in one 64 KB body stalled the event loop for a second before this cap.
 * (HAPI bounds the included resources per page, `maximumIncludesToLoadPerPage`, not the
 * parameters.)
 */
export const MAX_INCLUDE_PARAMETERS = 100;

/** A validated search over one resource type. */
export interface SearchQuery {
  definition: ResourceDefinition;
  criteria: Criterion[];
  count: number;
  includes: IncludeRequest[];
  revincludes: RevincludeRequest[];
  /** The parameters that define the result set (no `_count`/`_format`), in request order. */
  canonical: [string, string][];
  /** `_sort` keys, first to last; empty for the server's stable order. */
  sort: SortKey[];
  /** `_elements`, or `undefined` for whole resources. */
  elements: string[] | undefined;
  summary: SummaryMode | undefined;
  total: TotalMode;
}

/**
 * Parses `_count`; throws HAPI's 400 (`CountParameter`: "Invalid _count value: abc") unless it is
 * an integer, clamped to the maximum. A negative count, which HAPI's integer parse lets through
 * to fail later, is refused with the same text.
 */
export function parseCount(raw: string): number {
  if (!/^\d{1,9}$/.test(raw)) {
    throw new OperationOutcomeError(badRequest(`Invalid _count value: ${raw}`, '_count'));
  }
  return Math.min(Number(raw), MAX_PAGE_SIZE);
}

/**
 * Validates and compiles a search's parameters (query string and form body, merged). Unknown
 * parameters, parameters the Swagger file marks required yet missing, and bad values answer 400.
 * @see https://hl7.org/fhir/R4/search.html
 */
export function parseSearch(
  definition: ResourceDefinition,
  params: readonly [string, string][],
): SearchQuery {
  const query: SearchQuery = {
    definition,
    criteria: [],
    count: DEFAULT_PAGE_SIZE,
    includes: [],
    revincludes: [],
    canonical: [],
    sort: [],
    elements: undefined,
    summary: undefined,
    total: 'accurate',
  };
  const summaries: string[] = [];
  // `_include` and `_revinclude` values seen, each joined once: a repeat adds nothing to the page.
  const joins = new Set<string>();
  let joinCount = 0;
  for (const [key, value] of params) {
    const [name = '', modifier] = key.split(':', 2) as [string, string | undefined];
    if (name === '_count') {
      query.count = parseCount(value);
      continue;
    }
    if (name === '_format' || name === '_pretty') continue;
    if (name === '_include' || name === '_revinclude') {
      joinCount += 1;
      if (joinCount > MAX_INCLUDE_PARAMETERS) {
        throw new OperationOutcomeError(
          badRequest(
            `Too many _include and _revinclude parameters: at most ${MAX_INCLUDE_PARAMETERS} per search`,
            name,
          ),
        );
      }
      const join = `${key}=${value}`;
      if (joins.has(join)) continue;
      joins.add(join);
      if (name === '_include') query.includes.push(parseInclude(definition, value));
      else query.revincludes.push(parseRevinclude(value));
    } else if (name === '_sort') query.sort.push(...parseSort(definition, value));
    else if (name === '_elements') {
      const names = parseElements(value);
      if (names) query.elements = [...(query.elements ?? []), ...names];
    } else if (name === '_summary') summaries.push(value);
    else if (name === '_total') query.total = parseTotal(value) ?? query.total;
    else if (name === '_lastUpdated') {
      if (value !== '') query.criteria.push(compileCriterion(LAST_UPDATED, modifier, value));
    } else {
      const param = definition.params.get(name);
      if (!param || RESULT_PARAMETERS.has(name)) {
        const known = [...definition.params.keys()].sort().join(', ');
        throw new OperationOutcomeError(
          badRequest(
            `Unknown search parameter "${key}" for resource type "${definition.type}". Valid search parameters for this search are: [${known}]`,
            key,
          ),
        );
      }
      if (value === '') continue;
      query.criteria.push(compileCriterion(param, modifier, value));
    }
    query.canonical.push([key, value]);
  }
  query.summary = parseSummary(summaries);
  for (const param of definition.params.values()) {
    if (
      param.required &&
      !query.criteria.some(
        (criterion) => criterion.param === param || criterion.param.aliasOf === param.name,
      )
    ) {
      throw new OperationOutcomeError(
        badRequest(
          `Missing required search parameter "${param.name}" for ${definition.type}`,
          param.name,
        ),
      );
    }
  }
  return query;
}
