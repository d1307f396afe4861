import type { FastifyRequest, RouteHandlerMethod } from 'fastify';
import { hasScope } from '@patient-access/auth-core';
import { InvalidTokenError, type AccessTokenVerifier } from '../access.js';
import { bearerToken } from '../bearer.js';
import { profileClaims } from './accounts.js';
import { urlsFor, type IdentityContext } from './context.js';
import { InsufficientScope, InvalidRequest, InvalidToken } from './errors.js';

/**
 * `GET|POST /protocol/openid-connect/userinfo`: the account's claims for a live access token
 * carrying `openid`, sent in the `Authorization` header or (POST) the form body.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#UserInfo
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2
 */
export function userinfoEndpoint(
  context: IdentityContext,
  verifier: AccessTokenVerifier,
): RouteHandlerMethod {
  return async (request, reply) => {
    const token = presentedToken(request);
    const urls = urlsFor(context, request);
    let grant;
    try {
      grant = await verifier.verify(token, { issuer: urls.issuer, audience: urls.fhirBase });
    } catch (error) {
      if (error instanceof InvalidTokenError) throw new InvalidToken(error.message);
      throw error;
    }
    if (!hasScope(grant.scopes, 'openid')) throw new InsufficientScope('Missing openid scope');
    const account = context.accounts.byUserId(grant.subject);
    if (!account) throw new InvalidToken('User not found');
    // The claims are personal data, as Keycloak's token responses are: no cache may keep them.
    reply.header('cache-control', 'no-store');
    return {
      sub: account.userId,
      fhirUser: `${urls.fhirBase}/Person/${account.personId}`,
      ...profileClaims(account),
    };
  };
}

/** The token of the `Authorization` header or (POST) the form body, exactly one of them. */
function presentedToken(request: FastifyRequest): string {
  const header = request.headers.authorization;
  const body = request.body as Record<string, unknown> | undefined;
  const inBody = body && typeof body === 'object' ? body.access_token : undefined;
  if (header !== undefined && inBody !== undefined) {
    throw new InvalidRequest('Token provided in more than one way');
  }
  if (typeof inBody === 'string') return inBody;
  if (inBody !== undefined) throw new InvalidRequest('duplicated parameter');
  const token = bearerToken(header);
  if (token === undefined) throw new InvalidToken('Token verification failed');
  return token;
}
