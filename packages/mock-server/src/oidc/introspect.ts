import type { RouteHandlerMethod } from 'fastify';
import { formatScopes } from '@patient-access/auth-core';
import { epochSeconds } from '../clock.js';
import { authenticateClient } from './client-auth.js';
import { urlsFor, type IdentityContext } from './context.js';
import { InvalidRequest } from './errors.js';
import { formParams } from './form.js';
import type { RealmTokenVerifier } from './verifier.js';

/**
 * `POST /protocol/openid-connect/token/introspect`, for confidential clients. Live access and
 * refresh tokens issued under the request's issuer report their grant; anything else is
 * `{ "active": false }`.
 * @see https://www.rfc-editor.org/rfc/rfc7662#section-2.2
 */
export function introspectEndpoint(
  context: IdentityContext,
  verifier: RealmTokenVerifier,
): RouteHandlerMethod {
  return async (request, reply) => {
    const params = formParams(request);
    await authenticateClient(context, request, params, { confidentialOnly: true });
    const token = params.get('token');
    if (token === undefined) throw new InvalidRequest('Missing parameter: token');
    reply.headers({ 'cache-control': 'no-store', pragma: 'no-cache' });
    const { store, clock } = context;
    const now = clock.now();
    // As Keycloak's RealmUrlCheck: a token issued under another origin's issuer is not this
    // realm's, although the mock signs every origin's tokens with one key.
    const { issuer } = urlsFor(context, request);
    const refresh = store.refreshTokens.get(token);
    if (refresh) {
      const grant = store.grants.get(refresh.grantId);
      const live =
        grant &&
        refresh.issuer === issuer &&
        !grant.revoked &&
        refresh.expiresAt > now &&
        (grant.offline || store.liveSession(grant.ssoSessionId, now));
      if (!grant || !live) return { active: false };
      const account = context.accounts.byUserId(grant.userId);
      return {
        active: true,
        token_type: grant.offline ? 'Offline' : 'Refresh',
        client_id: grant.clientId,
        scope: refresh.scope,
        exp: Math.floor(refresh.expiresAt / 1000),
        iat: Math.floor(refresh.issuedAt / 1000),
        sub: grant.userId,
        username: account?.username.toLowerCase(),
        patient: grant.patient,
        sid: grant.ssoSessionId,
      };
    }
    try {
      const access = await verifier.verify(token);
      if (access.issuer !== issuer) return { active: false };
      return {
        active: true,
        token_type: 'Bearer',
        client_id: access.clientId,
        scope: formatScopes(access.scopes),
        exp: Math.floor(access.expiresAt / 1000),
        sub: access.subject,
        username: context.accounts.byUserId(access.subject)?.username.toLowerCase(),
        patient: access.patient || undefined,
        jti: access.tokenId,
        nbf: 0,
        now: epochSeconds(clock),
      };
    } catch {
      return { active: false };
    }
  };
}
