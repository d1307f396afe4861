import { randomUUID } from 'node:crypto';
import { assertPkceVerifier, hasScope, parseScopes } from '@patient-access/auth-core';
import type { Client } from '../clients.js';
import type { IdentityContext } from '../context.js';
import { InvalidGrant } from '../errors.js';
import { issueTokens, type TokenResponse } from '../issue.js';
import { matchesS256Challenge } from '../pkce.js';
import type { OAuthParams } from '../params.js';
import type { RealmUrls } from '../../urls.js';

/**
 * `grant_type=authorization_code`. A code is consumed by its first use, whatever the outcome; a
 * replay answers `invalid_grant` and revokes what the first exchange issued.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.6
 */
export async function exchangeAuthorizationCode(
  context: IdentityContext,
  client: Client,
  params: OAuthParams,
  urls: RealmUrls,
): Promise<TokenResponse> {
  const code = params.require('code');
  const { store, clock } = context;
  const now = clock.now();
  const record = store.codes.get(code);
  // Keycloak 17's order and words (TokenEndpoint.codeToToken): the code is spent by any attempt,
  // another client's included; an expired one has left the single-use store, so it is "not valid".
  if (!record) throw new InvalidGrant('Code not valid');
  if (record.used) {
    // https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2: revoke tokens issued from a replayed code.
    if (record.grantId) store.revokeGrant(record.grantId);
    throw new InvalidGrant('Code not valid');
  }
  if (record.expiresAt <= now) throw new InvalidGrant('Code not valid');
  record.used = true;
  // A spent code is remembered as long as the access tokens it yields live, so a replay in that
  // window still revokes them; after that it is pruned like any expired code.
  record.expiresAt = now + context.config.lifetimes.accessToken * 1000;
  if (params.get('redirect_uri') !== record.redirectUri) {
    throw new InvalidGrant('Incorrect redirect_uri');
  }
  if (record.clientId !== client.clientId) throw new InvalidGrant('Auth error');
  if (!client.grantTypes.has('authorization_code')) {
    throw new InvalidGrant('Client not allowed to exchange code');
  }
  if (!store.liveSession(record.ssoSessionId, now)) throw new InvalidGrant('Session not active');
  const verifier = params.get('code_verifier');
  if (verifier === undefined) throw new InvalidGrant('PKCE code verifier not specified');
  try {
    assertPkceVerifier(verifier);
  } catch {
    throw new InvalidGrant('PKCE invalid code verifier');
  }
  if (!matchesS256Challenge(verifier, record.codeChallenge)) {
    throw new InvalidGrant('PKCE verification failed');
  }

  const scopes = parseScopes(record.scope);
  const grant = {
    id: randomUUID(),
    clientId: client.clientId,
    userId: record.userId,
    ssoSessionId: record.ssoSessionId,
    patient: record.patient,
    encounter: record.encounter,
    launchKind: record.launchKind,
    scope: record.scope,
    offline: hasScope(scopes, 'offline_access'),
    nonce: record.nonce,
    audience: record.audience,
    authTime: record.authTime,
    revoked: false,
    expiresAt: now,
  };
  store.grants.set(grant.id, grant);
  record.grantId = grant.id;
  return issueTokens(context, grant, record.scope, urls, scopes);
}
