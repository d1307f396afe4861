import { formatScopes, parseScopes } from '@patient-access/auth-core';
import type { Client } from '../clients.js';
import type { IdentityContext } from '../context.js';
import { InvalidGrant, InvalidScope } from '../errors.js';
import { issueTokens, type TokenResponse } from '../issue.js';
import type { OAuthParams } from '../params.js';
import type { RealmUrls } from '../../urls.js';

/**
 * `grant_type=refresh_token`. Every refresh rotates the token (the old one is forgotten); the scope may
 * shrink, never grow; an online token dies with its SSO session, an offline one does not.
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
  if (!record || !grant) throw new InvalidGrant('Invalid refresh token');
  if (grant.clientId !== client.clientId) {
    throw new InvalidGrant("Invalid refresh token. Token client and authorized client don't match");
  }
  if (record.expiresAt <= now) throw new InvalidGrant('Token is not active');
  if (!grant.offline && !store.liveSession(grant.ssoSessionId, now)) {
    throw new InvalidGrant('Session not active');
  }
  if (grant.revoked) throw new InvalidGrant('Token is not active');

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
  // Spent tokens are forgotten at once, so a long run keeps no trail of them; a replay then reads
  // as unknown, which is `invalid_grant` all the same.
  store.refreshTokens.delete(value);
  return issueTokens(context, grant, scope, urls);
}

/** The tokens of a requested `scope`; `undefined` when one is not a scope at all. */
function rawScopes(scope: string): Set<string> | undefined {
  try {
    return new Set(parseScopes(scope).map((each) => each.raw));
  } catch {
    return undefined;
  }
}
