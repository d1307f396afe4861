import type { BundleLink } from './search/paging.js';
import type { StoredResource } from './store.js';

/** One entry of a searchset: a match or a resource an `_include`/`_revinclude` brought in. */
export interface SearchEntry {
  stored: StoredResource;
  mode: 'match' | 'include';
}

/**
 * Serialises a searchset Bundle around the entries' cached JSON, so a page costs string joins
 * rather than a deep clone and a fresh `JSON.stringify` of every resource.
 * @see https://hl7.org/fhir/R4/bundle.html#searchset
 */
export function searchsetJson(options: {
  id: string;
  lastUpdated: string;
  base: string;
  total: number;
  links: readonly BundleLink[];
  entries: readonly SearchEntry[];
}): string {
  const { id, lastUpdated, base, total, links, entries } = options;
  const head = JSON.stringify({
    resourceType: 'Bundle',
    id,
    meta: { lastUpdated },
    type: 'searchset',
    total,
    link: links,
  });
  if (entries.length === 0) return head;
  const parts = entries.map(
    ({ stored, mode }) =>
      `{"fullUrl":${JSON.stringify(`${base}/${stored.key}`)},"resource":${stored.json},"search":{"mode":"${mode}"}}`,
  );
  return `${head.slice(0, -1)},"entry":[${parts.join(',')}]}`;
}
