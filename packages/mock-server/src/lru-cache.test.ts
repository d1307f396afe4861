import { describe, expect, test } from 'vitest';
import { LruCache } from './lru-cache.js';

describe('LruCache', () => {
  test('drops the least recently used entry when a new one exceeds its capacity', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.get('a');
    cache.set('c', 3);
    expect([cache.has('a'), cache.has('b'), cache.has('c')]).toEqual([true, false, true]);
  });

  test('creates a missing value once and serves it from the cache after', () => {
    const cache = new LruCache<string, object>(4);
    let created = 0;
    const make = () => ({ n: ++created });
    expect(cache.getOrCreate('k', make)).toBe(cache.getOrCreate('k', make));
    expect(created).toBe(1);
  });

  test('drops the entries a predicate marks as stale', () => {
    const cache = new LruCache<string, number>(4);
    cache.set('expired', 1);
    cache.set('live', 9);
    cache.deleteWhere((expiresAt) => expiresAt < 5);
    expect([cache.has('expired'), cache.has('live')]).toEqual([false, true]);
  });

  test('refuses a capacity that is not a positive integer', () => {
    expect(() => new LruCache(0)).toThrow(RangeError);
  });
});
