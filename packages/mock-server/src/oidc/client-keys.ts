import type { ClientJwks } from '../config.js';
import { LruCache } from '../lru-cache.js';
import type { Client } from './clients.js';
import { isAllowedJwksUri } from './client-metadata.js';

interface Fetched {
  keys: ClientJwks['keys'];
  fetchedAt: number;
}

/** Keycloak refetches a client's JWKS for an unknown `kid` at most this often. */
const REFETCH_AFTER_MS = 10_000;
const FETCH_TIMEOUT_MS = 5_000;
const MAX_JWKS_BYTES = 64 * 1024;

/**
 * The public keys of `private_key_jwt` clients: their registered `jwks`, or their `jwks_uri`
 * fetched and cached (the mock's one LRU cache, bounded), fetched again when a `kid` is unknown,
 * as Keycloak's public key storage does.
 */
export class ClientKeySource {
  readonly #cache = new LruCache<string, Fetched>(256);
  readonly #now: () => number;
  readonly #fetch: typeof fetch;

  constructor(now: () => number, fetcher: typeof fetch = fetch) {
    this.#now = now;
    this.#fetch = fetcher;
  }

  /**
   * The key of `client` an assertion with header `kid` names, as Keycloak 17 chooses it: among the
   * keys whose `use` is `sig` (a key without `use` is ignored), the one with that `kid`, or the
   * first without a `kid`; `undefined` when none.
   */
  async keyFor(
    client: Client,
    kid: string | undefined,
  ): Promise<Record<string, unknown> | undefined> {
    if (client.jwks) return pick(client.jwks.keys, kid);
    const uri = client.jwksUri;
    if (uri === undefined || !isAllowedJwksUri(uri)) return undefined;
    const cached = this.#cache.get(uri);
    const found = cached && pick(cached.keys, kid);
    if (found || (cached && this.#now() - cached.fetchedAt < REFETCH_AFTER_MS)) return found;
    const keys = await this.#download(uri);
    if (!keys) return undefined;
    this.#cache.set(uri, { keys, fetchedAt: this.#now() });
    return pick(keys, kid);
  }

  /** Forgets fetched key sets (after a reset). */
  clear(): void {
    this.#cache.clear();
  }

  async #download(uri: string): Promise<ClientJwks['keys'] | undefined> {
    try {
      const response = await this.#fetch(uri, {
        headers: { accept: 'application/json' },
        redirect: 'error',
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      });
      if (!response.ok) return undefined;
      const text = await response.text();
      if (text.length > MAX_JWKS_BYTES) return undefined;
      const body = JSON.parse(text) as { keys?: unknown };
      return Array.isArray(body.keys)
        ? body.keys.filter(
            (key): key is Record<string, unknown> =>
              key !== null && typeof key === 'object' && !Array.isArray(key),
          )
        : undefined;
    } catch {
      return undefined;
    }
  }
}

function pick(
  keys: ClientJwks['keys'],
  kid: string | undefined,
): Record<string, unknown> | undefined {
  // https://github.com/keycloak/keycloak JWKSUtils (17): "Ignoring JWK key. Missing required field 'use'."
  const signing = keys.filter((key) => key.use === 'sig');
  return kid === undefined ? signing[0] : signing.find((key) => key.kid === kid);
}
