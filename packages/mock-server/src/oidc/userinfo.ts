import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hasScope } from '@patient-access/auth-core';
import { InvalidTokenError, type AccessTokenVerifier } from '../access.js';
import { profileClaims } from './accounts.js';
import { urlsFor, type IdentityContext } from './context.js';
import { InsufficientScope, InvalidRequest, InvalidToken } from './errors.js';

/**
 * `GET|POST /protocol/openid-connect/userinfo`: the account's claims for a live access token
 * carrying `openid`, sent in the `Authorization` header or (POST) the form body.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#UserInfo
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2
 */
export function registerUserinfo(
  app: FastifyInstance,
  context: IdentityContext,
  verifier: AccessTokenVerifier,
): void {
  const handler = async (request: FastifyRequest) => {
    const token = bearerToken(request);
    let grant;
    try {
      grant = await verifier.verify(token);
    } catch (error) {
      if (error instanceof InvalidTokenError) throw new InvalidToken(error.message);
      throw error;
    }
    if (!hasScope(grant.scopes, 'openid')) throw new InsufficientScope('Missing openid scope');
    const account = context.accounts.byUserId(grant.subject);
    if (!account) throw new InvalidToken('User not found');
    return {
      sub: account.userId,
      fhirUser: `${urlsFor(context, request).fhirBase}/Person/${account.personId}`,
      ...profileClaims(account),
    };
  };
  app.get('/protocol/openid-connect/userinfo', handler);
  app.post('/protocol/openid-connect/userinfo', handler);
}

function bearerToken(request: FastifyRequest): string {
  const header = request.headers.authorization;
  const body = request.body as Record<string, unknown> | undefined;
  const inBody = body && typeof body === 'object' ? body.access_token : undefined;
  if (header !== undefined && inBody !== undefined) {
    throw new InvalidRequest('Token provided in more than one way');
  }
  if (typeof inBody === 'string') return inBody;
  if (inBody !== undefined) throw new InvalidRequest('duplicated parameter');
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(header ?? '');
  if (!match?.[1]) throw new InvalidToken('Token verification failed');
  return match[1];
}
