import type { ClientConfig } from './client-config.js';
import { NotSignedInError, OAuthError } from './errors.js';
import type { ServerProfile } from './server-profile.js';
import { refreshTokens, revokeToken } from './token.js';
import type { SmartTokenSet } from './token-response.js';
import type { RequestOptions } from './transport.js';
import { isJsonObject, now } from './transport.js';

/**
 * Where a {@link TokenSession} keeps its token set: async, string values, so `chrome.storage`,
 * IndexedDB or a file can back it.
 * @see https://developer.chrome.com/docs/extensions/reference/api/storage
 */
export interface TokenStorage {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  remove(key: string): Promise<void>;
}

/**
 * A {@link TokenStorage} in memory, for tests, Node tools and pages that must not persist tokens.
 * @see https://www.rfc-editor.org/rfc/rfc6819#section-5.1.6
 */
export class MemoryTokenStorage implements TokenStorage {
  readonly #values = new Map<string, string>();

  async get(key: string): Promise<string | undefined> {
    return this.#values.get(key);
  }

  async set(key: string, value: string): Promise<void> {
    this.#values.set(key, value);
  }

  async remove(key: string): Promise<void> {
    this.#values.delete(key);
  }
}

/** Options of a {@link TokenSession}. */
export interface TokenSessionOptions extends RequestOptions {
  profile: ServerProfile;
  client: ClientConfig;
  storage: TokenStorage;
  /** Default `patient-access.tokens`. */
  storageKey?: string;
  /** Refresh this long before the access token expires (default 60 s). */
  refreshSkewMs?: number;
}

/** The storage key used when none is given. */
export const DEFAULT_TOKEN_STORAGE_KEY = 'patient-access.tokens';
const DEFAULT_REFRESH_SKEW_MS = 60_000;

// In-flight refreshes per storage and key, shared by every session over the same storage, so a
// rotating refresh token is never presented twice even by two session objects.
const inFlight = new WeakMap<TokenStorage, Map<string, Promise<SmartTokenSet>>>();

/**
 * A signed-in session: stores the token set, hands out a fresh access token (refreshing shortly
 * before expiry, one refresh at a time), and revokes on sign-out.
 * @see https://hl7.org/fhir/smart-app-launch/app-launch.html#step-6-app-uses-a-refresh-token-to-obtain-a-new-access-token
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-10.4
 */
export class TokenSession {
  readonly profile: ServerProfile;
  readonly client: ClientConfig;
  readonly #storage: TokenStorage;
  readonly #key: string;
  readonly #skewMs: number;
  readonly #request: RequestOptions;

  constructor(options: TokenSessionOptions) {
    const { profile, client, storage, storageKey, refreshSkewMs, ...request } = options;
    this.profile = profile;
    this.client = client;
    this.#storage = storage;
    this.#key = storageKey ?? DEFAULT_TOKEN_STORAGE_KEY;
    this.#skewMs = refreshSkewMs ?? DEFAULT_REFRESH_SKEW_MS;
    this.#request = request;
  }

  /** Saves `tokens` as the session's token set, e.g. right after {@link exchangeCode}. */
  async store(tokens: SmartTokenSet): Promise<void> {
    await this.#storage.set(this.#key, JSON.stringify(tokens));
  }

  /** The stored token set, or undefined when signed out. */
  async current(): Promise<SmartTokenSet | undefined> {
    const stored = await this.#storage.get(this.#key);
    if (stored === undefined) return undefined;
    const tokens = decode(stored);
    // A value this code did not write (an older version, a corrupted store) cannot be used to
    // call anything; dropping it signs the user out instead of failing every call forever.
    if (tokens === undefined) await this.#storage.remove(this.#key);
    return tokens;
  }

  /**
   * A usable access token, refreshed first when it expires within `refreshSkewMs`. Throws
   * {@link NotSignedInError} when there is no session or it can no longer be refreshed.
   */
  async getAccessToken(): Promise<string> {
    const tokens = await this.current();
    if (!tokens) throw new NotSignedInError('No session: sign in first.');
    if (tokens.expiresAt - this.#skewMs > now(this.#request)) return tokens.accessToken;
    return (await this.refresh()).accessToken;
  }

  /**
   * Refreshes now. Concurrent calls share one token request; the new refresh token replaces the
   * old one, which is kept when the server does not rotate. A rejected refresh token
   * (`invalid_grant`) ends the session.
   * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
   * @see https://datatracker.ietf.org/doc/html/draft-ietf-oauth-security-topics#section-4.14.2
   */
  refresh(): Promise<SmartTokenSet> {
    let byKey = inFlight.get(this.#storage);
    if (!byKey) inFlight.set(this.#storage, (byKey = new Map()));
    const running = byKey.get(this.#key);
    if (running) return running;
    const started = this.#refreshOnce().finally(() => byKey.delete(this.#key));
    byKey.set(this.#key, started);
    return started;
  }

  /**
   * Revokes the refresh token (which ends a Keycloak session) and the access token, then clears
   * storage. Storage is cleared even when revocation fails; the failure is then rethrown so the
   * caller knows the server-side grant may still be live.
   * @see https://www.rfc-editor.org/rfc/rfc7009#section-2
   */
  async signOut(): Promise<void> {
    const tokens = await this.current();
    try {
      if (tokens && this.profile.revocationEndpoint !== undefined) {
        const revocations: Promise<void>[] = [];
        if (tokens.refreshToken !== undefined) {
          revocations.push(this.#revoke(tokens.refreshToken, 'refresh_token'));
        }
        revocations.push(this.#revoke(tokens.accessToken, 'access_token'));
        const failed = (await Promise.allSettled(revocations)).find(
          (result): result is PromiseRejectedResult => result.status === 'rejected',
        );
        if (failed) throw failed.reason;
      }
    } finally {
      await this.#storage.remove(this.#key);
    }
  }

  #revoke(token: string, tokenTypeHint: 'access_token' | 'refresh_token'): Promise<void> {
    return revokeToken({
      ...this.#request,
      profile: this.profile,
      client: this.client,
      token,
      tokenTypeHint,
    });
  }

  async #refreshOnce(): Promise<SmartTokenSet> {
    const previous = await this.current();
    if (!previous) throw new NotSignedInError('No session: sign in first.');
    if (previous.refreshToken === undefined) {
      throw new NotSignedInError('The session has expired and has no refresh token.');
    }
    if (
      previous.refreshExpiresAt !== undefined &&
      previous.refreshExpiresAt <= now(this.#request)
    ) {
      await this.#storage.remove(this.#key);
      throw new NotSignedInError('The session has expired: its refresh token is past its expiry.');
    }
    let next: SmartTokenSet;
    try {
      next = await refreshTokens({
        ...this.#request,
        profile: this.profile,
        client: this.client,
        refreshToken: previous.refreshToken,
      });
    } catch (error) {
      // RFC 6749 §5.2: invalid_grant means the refresh token is expired, revoked or reused.
      if (error instanceof OAuthError && error.error === 'invalid_grant') {
        await this.#storage.remove(this.#key);
        throw new NotSignedInError('The session has ended: the refresh token was rejected.', {
          cause: error,
          status: error.status,
        });
      }
      throw error;
    }
    const merged = carryOver(previous, next);
    await this.store(merged);
    return merged;
  }
}

// A refresh response may omit what the grant already established (RFC 6749 §5.1, §6).
function carryOver(previous: SmartTokenSet, next: SmartTokenSet): SmartTokenSet {
  const merged: SmartTokenSet = { ...next };
  if (next.refreshToken === undefined && previous.refreshToken !== undefined) {
    merged.refreshToken = previous.refreshToken;
    if (previous.refreshExpiresAt !== undefined)
      merged.refreshExpiresAt = previous.refreshExpiresAt;
  }
  if (next.scope === '') merged.scope = previous.scope;
  const keys = [
    'idToken',
    'patient',
    'resource',
    'needPatientBanner',
    'smartStyleUrl',
    'practiceId',
    'clientType',
    'subscriptionType',
    'sessionState',
  ] as const satisfies readonly (keyof SmartTokenSet)[];
  for (const key of keys) {
    if (merged[key] === undefined && previous[key] !== undefined) {
      (merged as unknown as Record<string, unknown>)[key] = previous[key];
    }
  }
  return merged;
}

function decode(stored: string): SmartTokenSet | undefined {
  let value: unknown;
  try {
    value = JSON.parse(stored);
  } catch {
    return undefined;
  }
  if (
    !isJsonObject(value) ||
    typeof value.accessToken !== 'string' ||
    typeof value.expiresAt !== 'number' ||
    (value.refreshToken !== undefined && typeof value.refreshToken !== 'string')
  ) {
    return undefined;
  }
  return value as unknown as SmartTokenSet;
}
