import type { RouteHandlerMethod } from 'fastify';
import { authenticateClient } from './client-auth.js';
import type { IdentityContext } from './context.js';
import { OAuthError } from './errors.js';
import { formParams } from './form.js';

/**
 * The realm advertises these (its discovery is Keycloak's), but no client of NextGen's realm is
 * enabled for them; the mock answers what Keycloak 17 answers such a client, after the same
 * client authentication.
 */

/**
 * `POST /protocol/openid-connect/auth/device`: Keycloak 17's `DeviceEndpoint` for a client
 * without "OAuth 2.0 Device Authorization Grant Enabled".
 * @see https://www.rfc-editor.org/rfc/rfc8628#section-3.1
 */
export function deviceAuthorizationEndpoint(context: IdentityContext): RouteHandlerMethod {
  return async (request) => {
    await authenticateClient(context, request, formParams(request));
    throw new OAuthError(
      'invalid_grant',
      'Client not allowed for OAuth 2.0 Device Authorization Grant',
    );
  };
}

/**
 * `POST /protocol/openid-connect/ext/ciba/auth`: Keycloak 17's `BackchannelAuthenticationEndpoint`
 * for a client without "OIDC CIBA Grant Enabled".
 * @see https://openid.net/specs/openid-client-initiated-backchannel-authentication-core-1_0.html#auth_request
 */
export function backchannelAuthenticationEndpoint(context: IdentityContext): RouteHandlerMethod {
  return async (request) => {
    await authenticateClient(context, request, formParams(request));
    throw new OAuthError('invalid_grant', 'Client not allowed OIDC CIBA Grant');
  };
}

/**
 * `POST /clients-registrations/openid-connect` without an initial access token: Keycloak's
 * anonymous registration policies ("Trusted Hosts" with no host trusted) refuse it. Tests
 * register clients with `POST /__admin/clients` instead.
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3
 */
export const registrationEndpoint: RouteHandlerMethod = async () => {
  throw new OAuthError(
    'insufficient_scope',
    "Policy 'Trusted Hosts' rejected request to client-registration service. Details: Host not trusted.",
    403,
  );
};

const NOT_ENABLED_GRANTS = new Map<string, [error: string, description: string]>([
  ['password', ['unauthorized_client', 'Client not allowed for direct access grants']],
  [
    'urn:ietf:params:oauth:grant-type:device_code',
    ['invalid_grant', 'Client not allowed OAuth 2.0 Device Authorization Grant'],
  ],
  ['urn:openid:params:grant-type:ciba', ['invalid_grant', 'Client not allowed OIDC CIBA Grant']],
]);

/**
 * The refusal of a grant the realm advertises and no client is enabled for, in Keycloak 17's
 * words; `undefined` for a grant the realm does not know.
 */
export function notEnabledGrant(grantType: string): OAuthError | undefined {
  const refusal = NOT_ENABLED_GRANTS.get(grantType);
  return refusal && new OAuthError(...refusal);
}
