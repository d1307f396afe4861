import { randomUUID } from 'node:crypto';
import type { AccessGrant } from '../access.js';
import {
  assertInCompartments,
  boundToPatient,
  canReadIncluded,
  compartmentsFor,
  type Compartment,
} from './authorization.js';
import {
  renderPage,
  searchsetEntriesJson,
  searchsetJson,
  type RenderedPage,
  type SearchEntry,
} from './bundle.js';
import { badRequest, OperationOutcomeError } from './outcomes.js';
import { resourceDefinition } from './read.js';
import { RESOURCE_DEFINITIONS, type ResourceDefinition } from './search-parameters.js';
import { runSearch } from './search/execute.js';
import { sortMatches, subsetFor, subsetResource } from './search/result.js';
import { idValues } from './search/id.js';
import { resolveIncludes, resolveRevincludes } from './search/includes.js';
import { pageLinks, type PageState } from './search/paging.js';
import { parseSearch, type SearchQuery } from './search/query.js';
import { referenceValues } from './search/reference.js';
import type { FhirStore } from './store.js';

/** Where a search runs and how its Bundle is addressed. */
export interface SearchContext {
  store: FhirStore;
  grant: AccessGrant;
  /** The FHIR base URL, e.g. `http://127.0.0.1:7000/api/fhir/r4`. */
  base: string;
  /** Epoch milliseconds, for `Bundle.meta.lastUpdated`. */
  now: number;
  /**
   * The request as received (path and query, plus a `_search` form body), when the caller has
   * one: a page already rendered for the same request of the same patient is answered without
   * parsing the query again.
   */
  requestKey?: string;
}

// The compartment rule for searches: a `patient`/`subject` (or, on Patient, `_id`) naming a
// patient outside the reachable compartments is refused before anything is looked up.
function assertCompartment(query: SearchQuery, compartments: readonly Compartment[]): void {
  for (const criterion of query.criteria) {
    const { param, modifier, raw } = criterion;
    if (query.definition.type === 'Patient' && param.type === 'id') {
      for (const id of idValues(param, modifier, raw)) assertInCompartments(compartments, id);
    } else if (param.type === 'reference' && param.target === 'Patient') {
      for (const key of referenceValues(param, modifier, raw))
        assertInCompartments(compartments, key.slice('Patient/'.length));
    }
  }
}

/** The compartments a search of `definition` runs over: none for the shared types. */
function searchCompartments(
  context: SearchContext,
  definition: ResourceDefinition,
): readonly Compartment[] {
  return definition.shared ? [] : compartmentsFor(context.grant, definition, 'search');
}

// Kept beside each list of compartments, which `compartmentsFor` keeps per grant: a repeated
// search names its page without joining the patients again.
const compartmentKeys = new WeakMap<readonly Compartment[], string>();

function compartmentKey(compartments: readonly Compartment[]): string {
  let key = compartmentKeys.get(compartments);
  if (key === undefined) {
    key = compartments.map((compartment) => compartment.patient).join(',');
    compartmentKeys.set(compartments, key);
  }
  return key;
}

/**
 * A backend service's grant for one search, bound to the patient the search names (`patient`,
 * `subject`, or `_id` on Patient): `system/` scopes reach every patient, one at a time. A search
 * that names none answers 400: the mock does not scan every record.
 */
function systemSearchGrant(grant: AccessGrant, query: SearchQuery): AccessGrant {
  if (grant.level !== 'system') return grant;
  for (const { param, modifier, raw } of query.criteria) {
    const [first] =
      query.definition.type === 'Patient' && param.type === 'id'
        ? idValues(param, modifier, raw)
        : param.type === 'reference' && param.target === 'Patient'
          ? referenceValues(param, modifier, raw).map((key) => key.slice('Patient/'.length))
          : [];
    if (first !== undefined) return boundToPatient(grant, first);
  }
  throw new OperationOutcomeError(
    badRequest(
      `A system-level search of ${query.definition.type} must name a patient (patient, subject or _id): the mock does not search every record at once`,
      query.definition.type,
    ),
  );
}

// Longer requests (large `_search` bodies) are not worth a key that size in the page cache.
const MAX_REQUEST_KEY = 2048;

function requestKeyOf(
  context: SearchContext,
  compartments: readonly Compartment[],
): string | undefined {
  if (context.requestKey === undefined || context.requestKey.length > MAX_REQUEST_KEY) {
    return undefined;
  }
  return `${compartmentKey(compartments)}\n${context.base}\n${context.requestKey}`;
}

/**
 * The searchset Bundle of a request answered before for the same compartments, if one is kept. A
 * page is kept under its request only once that request parsed, passed the compartment check and
 * needed no token-specific filtering, so a hit skips parsing the query again; the token's scopes
 * are still checked, and a granular restriction leaves it to {@link searchPage}.
 */
export function keptSearchPage(context: SearchContext, type: string): string | undefined {
  const definition = resourceDefinition(type);
  // A service's compartment is known only once its query names the patient (`searchPage`).
  if (!definition.searchable || context.grant.level === 'system') return undefined;
  const compartments = searchCompartments(context, definition);
  const key = requestKeyOf(context, compartments);
  if (key === undefined) return undefined;
  const kept = context.store.pages.get(key);
  if (kept === undefined || compartments.some((each) => each.restriction !== undefined)) {
    return undefined;
  }
  return searchsetJson(randomUUID(), new Date(context.now).toISOString(), kept);
}

/**
 * Runs a search and renders one page as a searchset Bundle: `total` over all matches, `self`,
 * `next` and `previous` links, matches then included resources.
 * @see https://hl7.org/fhir/R4/search.html
 */
export function searchPage(
  context: SearchContext,
  state: PageState,
  offset: number,
  self: string,
  pageCount?: number,
): string {
  const definition = resourceDefinition(state.type);
  if (!definition.searchable) {
    throw new OperationOutcomeError(
      badRequest(`Resource type ${state.type} does not support the search operation`, state.type),
    );
  }
  const query = parseSearch(definition, state.params);
  if (!definition.shared) context = { ...context, grant: systemSearchGrant(context.grant, query) };
  const compartments = searchCompartments(context, definition);
  const patientKey = compartmentKey(compartments);
  const requestKey = requestKeyOf(context, compartments);
  const count = pageCount ?? query.count;
  assertCompartment(query, compartments);
  // A user-level token searches every compartment it reaches, one patient's record after another.
  const sources = definition.shared
    ? [{ index: context.store.shared, restriction: undefined }]
    : compartments.flatMap(({ patient, restriction }) => {
        const index = context.store.record(patient);
        return index ? [{ index, restriction }] : [];
      });
  const restricted = sources.some((source) => source.restriction !== undefined);
  const render = (): RenderedPage => {
    const found = sources.flatMap(({ index, restriction }) => runSearch(query, index, restriction));
    const matches = query.sort.length > 0 ? sortMatches(found, query.sort) : found;
    const page = query.summary === 'count' ? [] : matches.slice(offset, offset + count);
    const subset = subsetFor(query.elements, query.summary);
    const entries: SearchEntry[] = page.map((stored) => ({
      stored,
      mode: 'match',
      ...(subset ? { json: JSON.stringify(subsetResource(stored.resource, subset)) } : {}),
    }));
    if (page.length > 0) {
      const indexes = sources.map((source) => source.index);
      const included = [
        ...resolveIncludes(
          page,
          query.includes,
          definition.shared ? indexes : [...indexes, context.store.shared],
        ),
        ...(query.revincludes.length > 0
          ? indexes.flatMap((index) => resolveRevincludes(page, index))
          : []),
      ];
      for (const stored of included) {
        const type = RESOURCE_DEFINITIONS.get(stored.resource.resourceType);
        // Included resources obey the same scopes: a page never carries a type the token lacks.
        // HAPI's encoder subsets every resource of the Bundle, included ones too.
        if (canReadIncluded(context.grant, type, stored.resource)) {
          entries.push({
            stored,
            mode: 'include',
            ...(subset ? { json: JSON.stringify(subsetResource(stored.resource, subset)) } : {}),
          });
        }
      }
    }
    return renderPage(
      query.total === 'none' ? undefined : matches.length,
      pageLinks({
        base: context.base,
        self,
        state: { type: state.type, params: query.canonical },
        offset,
        count,
        total: matches.length,
      }),
      searchsetEntriesJson(context.base, entries),
    );
  };
  // Only a page that depends on nothing but the compartment and the query is kept: granular
  // scope restrictions and included resources depend on the token too.
  const cacheable = !restricted && query.includes.length === 0 && query.revincludes.length === 0;
  const page = cacheable
    ? context.store.pages.getOrCreate(
        JSON.stringify([
          patientKey,
          context.base,
          self,
          state.type,
          query.canonical,
          offset,
          count,
        ]),
        render,
      )
    : render();
  if (cacheable && requestKey !== undefined) context.store.pages.set(requestKey, page);
  return searchsetJson(randomUUID(), new Date(context.now).toISOString(), page);
}
