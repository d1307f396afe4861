import type { Resource } from '@medplum/fhirtypes';
import type { Dataset } from '../data/index.js';
import { LruCache } from '../lru-cache.js';
import type { RenderedPage } from './bundle.js';
import type { SearchParameterDefinition } from './search-parameters.js';
import { valuesAtAny } from './search/path.js';
import { referenceKey } from './search/reference.js';
import { tokensOf } from './search/token.js';

/** A resource as the server holds it: serialised once, on first use, then sent as is. */
export class StoredResource {
  readonly resource: Resource;
  readonly key: string;
  /** Position in its index: searches answer in this stable order. */
  readonly ordinal: number;
  #json: string | undefined;

  constructor(resource: Resource, ordinal: number) {
    this.resource = resource;
    this.key = `${resource.resourceType}/${resource.id ?? ''}`;
    this.ordinal = ordinal;
  }

  get json(): string {
    this.#json ??= JSON.stringify(this.resource);
    return this.#json;
  }
}

/**
 * The resources of one patient compartment (or the shared ones), indexed by type, by `Type/id`,
 * Provenance by target, and lazily by token code or reference per search parameter.
 */
export class ResourceIndex {
  readonly #byType = new Map<string, StoredResource[]>();
  readonly #byKey = new Map<string, StoredResource>();
  readonly #provenanceByTarget = new Map<string, StoredResource[]>();
  readonly #valueIndexes = new Map<string, Map<string, StoredResource[]>>();

  constructor(resources: readonly Resource[]) {
    resources.forEach((resource, ordinal) => {
      const stored = new StoredResource(resource, ordinal);
      this.#byKey.set(stored.key, stored);
      push(this.#byType, resource.resourceType, stored);
      if (resource.resourceType === 'Provenance') {
        for (const target of resource.target ?? []) {
          const key = referenceKey(target);
          if (key) push(this.#provenanceByTarget, key, stored);
        }
      }
    });
  }

  /** Every resource of `type`, in stable order. */
  ofType(type: string): readonly StoredResource[] {
    return this.#byType.get(type) ?? [];
  }

  /** The resource `Type/id`, if this index holds it. */
  get(key: string): StoredResource | undefined {
    return this.#byKey.get(key);
  }

  /** The Provenance resources whose `target` names `Type/id`. */
  provenanceOf(key: string): readonly StoredResource[] {
    return this.#provenanceByTarget.get(key) ?? [];
  }

  /**
   * The resources of `type` whose `param` holds `key` (a token's code in any system, or a
   * reference's `Type/id`), from a table built on first use, so an indexed search costs the size
   * of its answer rather than of the record.
   */
  withValue(
    type: string,
    param: SearchParameterDefinition,
    key: string,
  ): readonly StoredResource[] {
    const indexKey = `${type}\u0000${param.name}`;
    let index = this.#valueIndexes.get(indexKey);
    if (!index) {
      index = new Map();
      for (const stored of this.ofType(type)) {
        for (const each of indexKeysOf(stored.resource, param)) push(index, each, stored);
      }
      this.#valueIndexes.set(indexKey, index);
    }
    return index.get(key) ?? [];
  }
}

function indexKeysOf(resource: Resource, param: SearchParameterDefinition): Set<string> {
  const keys = new Set<string>();
  for (const value of valuesAtAny(resource, param.paths)) {
    if (param.type === 'reference') {
      const key = referenceKey(value);
      if (key) keys.add(key);
    } else {
      for (const token of tokensOf(value)) if (token.code !== undefined) keys.add(token.code);
    }
  }
  return keys;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** How many patient indexes stay in memory; the least recently used are dropped (and rebuilt). */
export const DEFAULT_INDEXED_RECORDS = 2000;

/** Rendered search pages kept by a store: ~50 KB each at most (200 entries), so ~13 MB at most. */
const CACHED_PAGES = 256;

/**
 * The FHIR side's view of a {@link Dataset}: the shared resources indexed up front, each patient's
 * record indexed on first access and kept in a bounded LRU, so 10,000 patients cost nothing until
 * read and nothing ever scans the whole store.
 */
export class FhirStore {
  readonly shared: ResourceIndex;
  /**
   * Pages of unrestricted searches without includes, keyed by compartment, base URL and query.
   * The data never changes, so a repeated search (a client polling, or paging back) is served
   * without running again, as HAPI reuses recent search results.
   */
  readonly pages = new LruCache<string, RenderedPage>(CACHED_PAGES);
  readonly #dataset: Dataset;
  readonly #records: LruCache<string, ResourceIndex>;

  constructor(dataset: Dataset, capacity = DEFAULT_INDEXED_RECORDS) {
    this.#dataset = dataset;
    this.#records = new LruCache(capacity);
    this.shared = new ResourceIndex(dataset.shared);
  }

  /**
   * The patient whose record holds `key` (`Type/id`; a Patient is its own, known or not), if any.
   * Reads that patient's record only when the id says it may be there.
   */
  ownerOf(key: string): string | undefined {
    const slash = key.indexOf('/');
    if (key.slice(0, slash) === 'Patient') return key.slice(slash + 1);
    const owner = this.#dataset.ownerOf(key.slice(slash + 1));
    return owner !== undefined && this.record(owner)?.get(key) !== undefined ? owner : undefined;
  }

  /** The indexed record of one patient, `undefined` for an unknown patient. */
  record(patientId: string): ResourceIndex | undefined {
    const cached = this.#records.get(patientId);
    if (cached) return cached;
    const resources = this.#dataset.record(patientId);
    if (!resources) return undefined;
    const index = new ResourceIndex(resources);
    this.#records.set(patientId, index);
    return index;
  }
}
