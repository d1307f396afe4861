/**
 * A bounded map that forgets its least recently used entry when full: the one cache of the mock,
 * for anything keyed by what a client chooses (its Host header, its token, its query) or by a
 * growing population (patients), so memory stays bounded however many keys arrive. A dropped
 * entry is simply computed again.
 */
export class LruCache<K, V> {
  readonly #entries = new Map<K, V>();
  readonly #capacity: number;
  // The most recently used entry's value: a run of hits on one entry (one token, one patient, one
  // page) skips the re-insertion that keeps the map in use order. Its value rather than its key:
  // keys are mostly fresh strings (a header, a URL), whose comparison walks their characters,
  // where a kept value is the very object found. A value that two keys share lets a hit on
  // either skip its move, which only changes which entry a full cache drops first.
  #newest: V | undefined;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`An LRU cache needs a positive integer capacity, got ${capacity}.`);
    }
    this.#capacity = capacity;
  }

  /** The value under `key`, which becomes the most recently used; `undefined` on a miss. */
  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined && value !== this.#newest) {
      this.#entries.delete(key);
      this.#entries.set(key, value);
      this.#newest = value;
    }
    return value;
  }

  /** Whether `key` is cached, without making it the most recently used. */
  has(key: K): boolean {
    return this.#entries.has(key);
  }

  /** Caches `value` under `key` as the most recently used, dropping the least recently used when full. */
  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    this.#newest = value;
    if (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
  }

  /** The value under `key`, or the one `create` makes, cached. */
  getOrCreate(key: K, create: () => V): V {
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    const value = create();
    this.set(key, value);
    return value;
  }

  delete(key: K): boolean {
    const value = this.#entries.get(key);
    if (value !== undefined && value === this.#newest) this.#newest = undefined;
    return this.#entries.delete(key);
  }

  /** Drops every entry for which `stale` holds (expired tokens, say). */
  deleteWhere(stale: (value: V, key: K) => boolean): void {
    for (const [key, value] of this.#entries) if (stale(value, key)) this.delete(key);
  }

  clear(): void {
    this.#entries.clear();
    this.#newest = undefined;
  }

  get size(): number {
    return this.#entries.size;
  }
}
