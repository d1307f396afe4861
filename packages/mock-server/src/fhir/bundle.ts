import type { BundleLink } from './search/paging.js';
import type { StoredResource } from './store.js';

/** One entry of a searchset: a match or a resource an `_include`/`_revinclude` brought in. */
export interface SearchEntry {
  stored: StoredResource;
  mode: 'match' | 'include';
  /** The resource's JSON when `_elements` or `_summary` subsetted it. */
  json?: string;
}

/**
 * What one page of a search renders to, apart from its Bundle id and time: a search of the same
 * data gives the same page, so it can be kept and served again.
 */
export interface RenderedPage {
  /** The Bundle's JSON after `meta` (`type`, `total`, `link`, `entry`), closing brace included. */
  tail: string;
}

/**
 * Renders a page of `total` matches (`undefined` leaves `total` out, as `_total=none` asks):
 * `entries` is the `entry` array's JSON, empty for none.
 */
export function renderPage(
  total: number | undefined,
  links: readonly BundleLink[],
  entries: string,
): RenderedPage {
  const entry = entries === '' ? '' : `,"entry":[${entries}]`;
  return {
    tail: `,"type":"searchset"${total === undefined ? '' : `,"total":${total}`},"link":${JSON.stringify(links)}${entry}}`,
  };
}

/**
 * Serialises searchset entries around the resources' cached JSON, so a page costs string joins
 * rather than a deep clone and a fresh `JSON.stringify` of every resource.
 * @see https://hl7.org/fhir/R4/bundle.html#searchset
 */
export function searchsetEntriesJson(base: string, entries: readonly SearchEntry[]): string {
  return entries
    .map(
      ({ stored, mode, json }) =>
        `{"fullUrl":${JSON.stringify(`${base}/${stored.key}`)},"resource":${json ?? stored.json},"search":{"mode":"${mode}"}}`,
    )
    .join(',');
}

/**
 * A searchset Bundle's JSON: a fresh `id` and `meta.lastUpdated` before a rendered page. A string
 * rather than bytes: it lives and dies in V8's young generation, where a fresh 10 KB `Buffer` per
 * answer was external memory and cost the server more CPU per page (docs/benchmarks.md).
 *
 * Joined rather than concatenated: `join` copies into one flat string, where `+` leaves a rope
 * that Fastify's `Buffer.byteLength` (the `Content-Length`) can only measure through V8's slow,
 * character-by-character path instead of Node's vectorised one: 18 k instructions more per 10 KB
 * page, about a ninth of the request (docs/benchmarks.md).
 * @see https://hl7.org/fhir/R4/bundle.html#searchset
 */
export function searchsetJson(id: string, lastUpdated: string, page: RenderedPage): string {
  return [
    `{"resourceType":"Bundle","id":${JSON.stringify(id)},"meta":{"lastUpdated":${JSON.stringify(lastUpdated)}}`,
    page.tail,
  ].join('');
}
