import { randomFillSync, randomUUID } from 'node:crypto';
import type { ResponseMode } from '../response-mode.js';

/** Keycloak's "authentication session": one authorize request on its way through the screens. */
export interface LoginAttempt {
  tabId: string;
  /**
   * The root authentication session (the `AUTH_SESSION_ID` cookie) of the browser that started
   * the attempt: its screens are accepted only from that browser, so a login CSRF fails.
   */
  rootSessionId: string;
  /** Changes at every rendered form, so a stale or forged form post is refused. */
  sessionCode: string;
  clientId: string;
  redirectUri: string;
  /** The requested scope, as validated at authorize. */
  scope: string;
  state: string | undefined;
  nonce: string | undefined;
  codeChallenge: string;
  issuer: string;
  audience: string;
  loginHint: string | undefined;
  /** How the authorization response goes back (`response_mode`). */
  responseMode: ResponseMode;
  /** Epoch ms. */
  expiresAt: number;
  /** The context an EHR launch bound at authorize: the selection screen does not ask for it. */
  launch?: LaunchContext;
  /** `launch/encounter` was requested in a standalone launch: the screen offers encounters. */
  wantsEncounter: boolean;
  /** Set once the password (or the SSO cookie) identified the user. */
  userId?: string;
  ssoSessionId?: string;
}

/** The context of an EHR launch, as `POST /__admin/launches` created it. */
export interface LaunchContext {
  patient: string;
  encounter: string | undefined;
  /** The Keycloak user id the launch is for; any account that may select the patient if unset. */
  userId: string | undefined;
}

/** A pushed authorization request (RFC 9126), under the key of its `request_uri`; single-use. */
export interface PushedRequest {
  /** The client that pushed it, authenticated. */
  clientId: string;
  params: ReadonlyArray<readonly [string, string]>;
  /** Epoch ms. */
  expiresAt: number;
}

/** An EHR launch's opaque `launch` value and its context; single-use. */
export interface LaunchRecord extends LaunchContext {
  launch: string;
  /** Epoch ms. */
  expiresAt: number;
  used: boolean;
}

/** Whether the tokens of an authorization came from an EHR launch or a standalone launch. */
export type LaunchKind = 'EHR' | 'STANDALONE';

/** A browser's signed-in state, behind the `KEYCLOAK_IDENTITY` cookie. */
export interface SsoSession {
  /** The `session_state` and `sid` of everything issued in this session. */
  id: string;
  /** The cookie value: never the session id, which clients see. */
  cookieToken: string;
  userId: string;
  /** Epoch ms of the password entry. */
  authTime: number;
  expiresAt: number;
  clients: Set<string>;
}

/** An authorization code and what it will grant. */
export interface CodeRecord {
  clientId: string;
  redirectUri: string;
  scope: string;
  patient: string;
  /** The `encounter` context, from the launch or the selection screen. */
  encounter: string | undefined;
  launchKind: LaunchKind;
  userId: string;
  ssoSessionId: string;
  nonce: string | undefined;
  codeChallenge: string;
  audience: string;
  authTime: number;
  expiresAt: number;
  used: boolean;
  /** The grant its exchange created: revoked if the code is replayed while remembered. */
  grantId?: string;
}

/** Everything issued from one authorization: the unit of revocation (RFC 6749 §4.1.2, RFC 7009 §2.1). */
export interface Grant {
  id: string;
  clientId: string;
  userId: string;
  ssoSessionId: string;
  patient: string;
  encounter: string | undefined;
  launchKind: LaunchKind;
  /** The scope granted on the selection screen. */
  scope: string;
  offline: boolean;
  nonce: string | undefined;
  audience: string;
  authTime: number;
  revoked: boolean;
  /**
   * With "Revoke Refresh Token": the refresh token used last and how often (Keycloak's client
   * session `currentRefreshToken` and its use count), and when the grant was last refreshed.
   */
  refreshTokenInUse?: { id: string; uses: number };
  refreshedAt?: number;
  /** Revoked because a refresh token was reused: Keycloak detached the client session. */
  reuseDetected?: boolean;
  /** Latest expiry of any token of the grant; pruned after it. */
  expiresAt: number;
}

/** An issued access token, by `jti`. */
export interface AccessTokenRecord {
  jti: string;
  grantId: string;
  scope: string;
  issuedAt: number;
  expiresAt: number;
  revoked: boolean;
}

/** An issued refresh token (opaque; looked up by value). */
export interface RefreshTokenRecord {
  id: string;
  value: string;
  grantId: string;
  /** The issuer it was issued under, as a Keycloak refresh token's `iss`. */
  issuer: string;
  scope: string;
  issuedAt: number;
  expiresAt: number;
}

const TOKEN_BYTES = 32;
// Random bytes are drawn 128 tokens at a time, as Node does for `randomUUID`: one call into the
// CSPRNG per batch instead of one per token, on the token endpoint's hot path.
const entropy = Buffer.alloc(TOKEN_BYTES * 128);
let entropyOffset = entropy.length;

/** A random, URL-safe token with 256 bits of entropy. */
export function randomToken(): string {
  if (entropyOffset === entropy.length) {
    randomFillSync(entropy);
    entropyOffset = 0;
  }
  const token = entropy.toString('base64url', entropyOffset, entropyOffset + TOKEN_BYTES);
  entropyOffset += TOKEN_BYTES;
  return token;
}

/**
 * All server-side state of the identity side, in memory. Expired entries are pruned by
 * {@link IdentityStore.prune}, so a long-running mock keeps no growing state.
 */
export class IdentityStore {
  readonly attempts = new Map<string, LoginAttempt>();
  /** Keycloak's root authentication sessions: id → epoch ms of expiry. */
  readonly rootSessions = new Map<string, number>();
  readonly sessions = new Map<string, SsoSession>();
  readonly sessionsByCookie = new Map<string, SsoSession>();
  readonly codes = new Map<string, CodeRecord>();
  readonly grants = new Map<string, Grant>();
  readonly accessTokens = new Map<string, AccessTokenRecord>();
  readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  /** EHR launches by their `launch` value. */
  readonly launches = new Map<string, LaunchRecord>();
  /** Pushed authorization requests by the UUID of their `request_uri`. */
  readonly pushedRequests = new Map<string, PushedRequest>();
  /** The `jti` of each client assertion seen, until it expires: each is single-use. */
  readonly assertionIds = new Map<string, number>();
  /** Access tokens revoked by a reset, whose records are gone; epoch ms of their expiry. */
  readonly #revokedAfterReset = new Map<string, number>();

  createSession(userId: string, now: number, lifetimeMs: number): SsoSession {
    const session: SsoSession = {
      id: randomUUID(),
      cookieToken: randomToken(),
      userId,
      authTime: now,
      expiresAt: now + lifetimeMs,
      clients: new Set(),
    };
    this.sessions.set(session.id, session);
    this.sessionsByCookie.set(session.cookieToken, session);
    return session;
  }

  /**
   * The live root authentication session behind an `AUTH_SESSION_ID` cookie value, or a new one,
   * kept at least until `expiresAt`. Keycloak reuses the browser's root session, so attempts
   * opened in two tabs of one browser both stay valid; an id it never issued is not adopted.
   */
  rootSession(cookieValue: string | undefined, now: number, expiresAt: number): string {
    const known = cookieValue === undefined ? undefined : this.rootSessions.get(cookieValue);
    const id =
      cookieValue !== undefined && known !== undefined && known > now ? cookieValue : randomToken();
    this.rootSessions.set(id, Math.max(expiresAt, this.rootSessions.get(id) ?? 0));
    return id;
  }

  /** The live session behind a `KEYCLOAK_IDENTITY` cookie value. */
  sessionByCookie(cookieToken: string | undefined, now: number): SsoSession | undefined {
    const session = cookieToken ? this.sessionsByCookie.get(cookieToken) : undefined;
    return session && session.expiresAt > now ? session : undefined;
  }

  liveSession(id: string, now: number): SsoSession | undefined {
    const session = this.sessions.get(id);
    return session && session.expiresAt > now ? session : undefined;
  }

  /** Logs a session out: its online grants die with it, offline ones survive. */
  endSession(id: string): void {
    const session = this.sessions.get(id);
    if (!session) return;
    this.sessions.delete(id);
    this.sessionsByCookie.delete(session.cookieToken);
    for (const grant of this.grants.values()) {
      if (grant.ssoSessionId === id && !grant.offline) grant.revoked = true;
    }
  }

  revokeGrant(grantId: string): void {
    const grant = this.grants.get(grantId);
    if (grant) grant.revoked = true;
  }

  /**
   * Whether an access token with a valid signature is still honoured: not revoked itself, not
   * part of a revoked grant, not issued before a reset. A `jti` the store never saw comes from an
   * earlier process sharing the key file, and stands on its signature.
   */
  isAccessTokenLive(jti: string): boolean {
    const record = this.accessTokens.get(jti);
    if (!record) return !this.#revokedAfterReset.has(jti);
    return !record.revoked && this.grants.get(record.grantId)?.revoked === false;
  }

  /** Drops everything that has expired by `now`. */
  prune(now: number): void {
    for (const [key, attempt] of this.attempts)
      if (attempt.expiresAt <= now) this.attempts.delete(key);
    for (const [key, expiry] of this.rootSessions) if (expiry <= now) this.rootSessions.delete(key);
    for (const [key, session] of this.sessions) if (session.expiresAt <= now) this.endSession(key);
    for (const [key, code] of this.codes) if (code.expiresAt <= now) this.codes.delete(key);
    for (const [key, token] of this.accessTokens)
      if (token.expiresAt <= now) this.accessTokens.delete(key);
    for (const [key, token] of this.refreshTokens)
      if (token.expiresAt <= now) this.refreshTokens.delete(key);
    for (const [key, grant] of this.grants) if (grant.expiresAt <= now) this.grants.delete(key);
    for (const [key, launch] of this.launches)
      if (launch.expiresAt <= now) this.launches.delete(key);
    for (const [key, pushed] of this.pushedRequests)
      if (pushed.expiresAt <= now) this.pushedRequests.delete(key);
    for (const [key, expiry] of this.#revokedAfterReset)
      if (expiry <= now) this.#revokedAfterReset.delete(key);
    for (const [key, expiry] of this.assertionIds) if (expiry <= now) this.assertionIds.delete(key);
  }

  /**
   * Records the `jti` of a client assertion until `expiresAt`; false when it was already used,
   * a replay (Keycloak's single-use token store).
   * @see https://www.rfc-editor.org/rfc/rfc7523#section-3
   */
  useAssertionId(jti: string, expiresAt: number, now: number): boolean {
    const until = this.assertionIds.get(jti);
    if (until !== undefined && until > now) return false;
    this.assertionIds.set(jti, expiresAt);
    return true;
  }

  /** Forgets all state; access tokens issued so far stay revoked until they expire. */
  reset(): void {
    for (const token of this.accessTokens.values())
      this.#revokedAfterReset.set(token.jti, token.expiresAt);
    this.attempts.clear();
    this.rootSessions.clear();
    this.sessions.clear();
    this.sessionsByCookie.clear();
    this.codes.clear();
    this.grants.clear();
    this.accessTokens.clear();
    this.refreshTokens.clear();
    this.launches.clear();
    this.pushedRequests.clear();
    this.assertionIds.clear();
  }
}
