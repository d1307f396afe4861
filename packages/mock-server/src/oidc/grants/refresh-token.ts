import { formatScopes, parseScopes } from '@patient-access/auth-core';
import type { Client } from '../clients.js';
import type { IdentityContext } from '../context.js';
import { InvalidGrant, InvalidScope } from '../errors.js';
import { issueTokens, type TokenResponse } from '../issue.js';
import type { OAuthParams } from '../params.js';
import type { Grant, RefreshTokenRecord } from '../sessions/store.js';
import type { RealmUrls } from '../../urls.js';

/**
 * `grant_type=refresh_token`. Every refresh answers a new refresh token; the scope may shrink,
 * never grow; an online token dies with its SSO session, an offline one does not. What becomes
 * of the old token is Keycloak's realm setting "Revoke Refresh Token": off, it stays valid until
 * it expires; on, reusing it revokes the grant (see {@link checkReuse}).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2
 */
export async function exchangeRefreshToken(
  context: IdentityContext,
  client: Client,
  params: OAuthParams,
  urls: RealmUrls,
): Promise<TokenResponse> {
  const value = params.require('refresh_token');
  const { store, clock } = context;
  const now = clock.now();
  const record = store.refreshTokens.get(value);
  const grant = record ? store.grants.get(record.grantId) : undefined;
  // Keycloak 17's order (TokenManager.verifyRefreshToken, refreshAccessToken): the realm that
  // issued it (the signing key is shared by every origin the mock answers under), the token's own
  // expiry, then the sessions it hangs on, then whose it is.
  if (!record || !grant) throw new InvalidGrant('Invalid refresh token');
  if (record.issuer !== urls.issuer) {
    throw new InvalidGrant(`Invalid token issuer. Expected '${urls.issuer}'`);
  }
  if (record.expiresAt <= now) throw new InvalidGrant('Token is not active');
  if (!grant.offline && !store.liveSession(grant.ssoSessionId, now)) {
    throw new InvalidGrant('Session not active');
  }
  if (grant.reuseDetected) throw new InvalidGrant("Session doesn't have required client");
  if (grant.revoked) throw new InvalidGrant('Token is not active');
  if (grant.clientId !== client.clientId) {
    throw new InvalidGrant("Invalid refresh token. Token client and authorized client don't match");
  }

  const requested = params.get('scope');
  let scope = record.scope;
  if (requested !== undefined) {
    const held = parseScopes(record.scope).map((each) => each.raw);
    const wanted = rawScopes(requested);
    if (wanted === undefined || [...wanted].some((token) => !held.includes(token))) {
      throw new InvalidScope(`Invalid scopes: ${requested}`);
    }
    scope = formatScopes(held.filter((token) => wanted.has(token)));
  }
  if (context.config.revokeRefreshToken) {
    try {
      checkReuse(grant, record, context.config.refreshTokenMaxReuse);
    } catch (error) {
      grant.reuseDetected = true;
      store.revokeGrant(grant.id);
      throw error;
    }
  }
  grant.refreshedAt = now;
  // The spent token's record stays until it expires (the prune drops it): Keycloak's refresh
  // tokens are signed and stay valid unless revocation is on, and with it on, a reuse can only be
  // told from a forged token if the spent one is remembered.
  return issueTokens(context, grant, scope, urls);
}

/**
 * Keycloak's reuse check (`TokenManager.validateTokenReuse`) with "Revoke Refresh Token" on: a
 * token older than the last refresh that is not the one in use is stale; the token in use may
 * serve `maxReuse + 1` refreshes. Either failure revokes the whole grant (Keycloak detaches the
 * client session), so a thief's and the victim's tokens die together.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2
 */
function checkReuse(grant: Grant, record: RefreshTokenRecord, maxReuse: number): void {
  const inUse = grant.refreshTokenInUse;
  if (
    inUse !== undefined &&
    inUse.id !== record.id &&
    grant.refreshedAt !== undefined &&
    record.issuedAt < grant.refreshedAt
  ) {
    throw new InvalidGrant('Stale token');
  }
  const current =
    inUse?.id === record.id ? inUse : (grant.refreshTokenInUse = { id: record.id, uses: 0 });
  if (current.uses > maxReuse) {
    throw new InvalidGrant('Maximum allowed refresh token reuse exceeded');
  }
  current.uses += 1;
}

/** The tokens of a requested `scope`; `undefined` when one is not a scope at all. */
function rawScopes(scope: string): Set<string> | undefined {
  try {
    return new Set(parseScopes(scope).map((each) => each.raw));
  } catch {
    return undefined;
  }
}
