import { randomUUID } from 'node:crypto';
import type { RouteHandlerMethod } from 'fastify';
import { resolveRedirectUri, validate } from './authorize.js';
import { authenticateClient } from './client-auth.js';
import type { Client } from './clients.js';
import { urlsFor, type IdentityContext } from './context.js';
import { InvalidRequest, OAuthError } from './errors.js';
import { formParams } from './form.js';
import type { OAuthParams } from './params.js';
import { REQUEST_URI_PREFIX } from './pushed-request.js';

const CREDENTIALS = new Set(['client_secret', 'client_assertion', 'client_assertion_type']);

/** The answer of the pushed authorization request endpoint. */
export interface PushedAuthorizationResponse {
  request_uri: string;
  expires_in: number;
}

/**
 * `POST /protocol/openid-connect/ext/par/request`: Keycloak 17's `ParEndpoint`, which has no
 * per-client switch. The client authenticates as at the token endpoint (any failure, and a public
 * client, answer 401 `invalid_request` "Authentication failed.", Keycloak 17 catching every
 * error of its client check; public clients were let in by Keycloak 23), then the authorization
 * parameters are checked as the authorize endpoint checks them and stored, single-use, for
 * `lifetimes.parRequestUri` seconds.
 * @see https://www.rfc-editor.org/rfc/rfc9126#section-2
 */
export function parEndpoint(context: IdentityContext): RouteHandlerMethod {
  return async (request, reply) => {
    const params = formParams(request);
    let client: Client;
    try {
      client = await authenticateClient(context, request, params);
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      throw new OAuthError('invalid_request', 'Authentication failed.', 401);
    }
    if (client.isPublic) throw new OAuthError('invalid_request', 'Authentication failed.', 401);
    // https://www.rfc-editor.org/rfc/rfc9126#section-2.1: request_uri MUST NOT be pushed.
    if (params.get('request_uri') !== undefined) {
      throw new InvalidRequest('It is not allowed to include request_uri to PAR.');
    }
    checkPushedRequest(context, client, params, urlsFor(context, request));

    const key = randomUUID();
    const expiresIn = context.config.lifetimes.parRequestUri;
    context.store.pushedRequests.set(key, {
      clientId: client.clientId,
      // The client's credentials are not authorization parameters: not kept.
      params: params.entries().filter(([name]) => !CREDENTIALS.has(name)),
      expiresAt: context.clock.now() + expiresIn * 1000,
    });
    const body: PushedAuthorizationResponse = {
      request_uri: `${REQUEST_URI_PREFIX}${key}`,
      expires_in: expiresIn,
    };
    return reply.code(201).send(body);
  };
}

/**
 * The authorize endpoint's checks, answered as JSON in Keycloak 17's `ParEndpoint` words: a
 * redirect URI it does not accept and an unknown response type or scope become
 * `invalid_request`; the rest keep their authorize error.
 */
function checkPushedRequest(
  context: IdentityContext,
  client: Client,
  params: OAuthParams,
  urls: ReturnType<typeof urlsFor>,
): void {
  const redirectUri = resolveRedirectUri(client, params);
  if (redirectUri === undefined) throw new InvalidRequest('Invalid parameter: redirect_uri');
  if (!client.grantTypes.has('authorization_code') && params.get('response_type') === 'code') {
    throw new OAuthError(
      'unauthorized_client',
      'Client is not allowed to initiate browser login with given response_type. Standard flow is disabled for the client.',
    );
  }
  try {
    validate(context, params, urls, client.clientId, redirectUri);
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    if (error.error === 'unsupported_response_type') {
      throw new InvalidRequest('Unsupported response type');
    }
    if (error.error === 'invalid_scope') throw new InvalidRequest(error.message);
    throw new OAuthError(error.error, error.message, 400);
  }
}
