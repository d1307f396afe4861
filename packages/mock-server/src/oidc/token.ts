import type { RouteHandlerMethod } from 'fastify';
import { authenticateClient } from './client-auth.js';
import { urlsFor, type IdentityContext } from './context.js';
import { UnsupportedGrantType } from './errors.js';
import { formParams } from './form.js';
import { exchangeAuthorizationCode } from './grants/authorization-code.js';
import { exchangeClientCredentials } from './grants/client-credentials.js';
import { exchangeRefreshToken } from './grants/refresh-token.js';
import { notEnabledGrant } from './not-enabled.js';

/**
 * `POST /protocol/openid-connect/token`: the `authorization_code` and `refresh_token` grants.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.2
 */
export function tokenEndpoint(context: IdentityContext): RouteHandlerMethod {
  return async (request, reply) => {
    const params = formParams(request);
    const grantType = params.require('grant_type', 'form parameter');
    const client = await authenticateClient(context, request, params);
    const urls = urlsFor(context, request);
    let response;
    if (grantType === 'authorization_code') {
      response = await exchangeAuthorizationCode(context, client, params, urls);
    } else if (grantType === 'client_credentials') {
      response = await exchangeClientCredentials(context, client, params, urls);
    } else if (grantType === 'refresh_token') {
      response = await exchangeRefreshToken(context, client, params, urls);
    } else {
      throw notEnabledGrant(grantType) ?? new UnsupportedGrantType();
    }
    // https://www.rfc-editor.org/rfc/rfc6749#section-5.1
    return reply.headers({ 'cache-control': 'no-store', pragma: 'no-cache' }).send(response);
  };
}
