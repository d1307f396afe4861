import type { RouteHandlerMethod } from 'fastify';
import { compactVerify } from 'jose';
import { authenticateClient } from './client-auth.js';
import type { IdentityContext } from './context.js';
import { InvalidRequest, OAuthError } from './errors.js';
import { formParams } from './form.js';

const HINTS = new Set(['access_token', 'refresh_token']);

/**
 * `POST /protocol/openid-connect/revoke`. A refresh token takes its whole grant with it; an access
 * token only itself. Unknown tokens answer 200 as the RFC requires.
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2.1
 */
export function revokeEndpoint(context: IdentityContext): RouteHandlerMethod {
  return async (request, reply) => {
    const params = formParams(request);
    const client = await authenticateClient(context, request, params);
    const token = params.get('token');
    if (token === undefined) throw new InvalidRequest('Token not provided');
    const hint = params.get('token_type_hint');
    if (hint !== undefined && !HINTS.has(hint)) {
      throw new OAuthError('unsupported_token_type', `Unsupported token type: ${hint}`);
    }
    const { store } = context;
    const refresh = store.refreshTokens.get(token);
    if (refresh) {
      const grant = store.grants.get(refresh.grantId);
      if (grant && grant.clientId !== client.clientId)
        throw new InvalidRequest('Unmatching clients');
      store.revokeGrant(refresh.grantId);
    } else {
      const access = store.accessTokens.get((await accessTokenId(context, token)) ?? '');
      const grant = access ? store.grants.get(access.grantId) : undefined;
      if (access && grant) {
        if (grant.clientId !== client.clientId) throw new InvalidRequest('Unmatching clients');
        access.revoked = true;
      }
    }
    return reply.headers({ 'cache-control': 'no-store', pragma: 'no-cache' }).code(200).send();
  };
}

/** The `jti` of one of our access tokens, its signature checked (expired ones included). */
export async function accessTokenId(
  context: IdentityContext,
  token: string,
): Promise<string | undefined> {
  try {
    const { payload } = await compactVerify(token, (await context.keys()).publicKey, {
      algorithms: ['RS256'],
    });
    const { jti } = JSON.parse(new TextDecoder().decode(payload)) as { jti?: unknown };
    return typeof jti === 'string' ? jti : undefined;
  } catch {
    return undefined;
  }
}
