import type { FastifyRequest } from 'fastify';
import { checkSecret, type Client } from './clients.js';
import { authenticateAssertion } from './client-assertion.js';
import { urlsFor, type IdentityContext } from './context.js';
import {
  InvalidClient,
  InvalidRequest,
  OAuthError,
  UnauthorizedClient,
  unknownClient,
} from './errors.js';
import type { OAuthParams } from './params.js';

/** Options of {@link authenticateClient}. */
export interface ClientAuthOptions {
  /** Introspection is for confidential clients only, as in Keycloak. */
  confidentialOnly?: boolean;
}

/**
 * Authenticates the client of a token, revocation or introspection request:
 * `client_secret_basic`, `client_secret_post`, `private_key_jwt` and `client_secret_jwt`
 * (a `client_assertion`), or `none` (a public client names itself with `client_id`). Exactly
 * one method may be used. A client authenticates with the method it is registered for.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-2.2
 */
export async function authenticateClient(
  context: IdentityContext,
  request: FastifyRequest,
  params: OAuthParams,
  options: ClientAuthOptions = {},
): Promise<Client> {
  const basic = parseBasic(request.headers.authorization);
  const bodyId = params.get('client_id');
  const bodySecret = params.get('client_secret');
  const assertionType = params.get('client_assertion_type');
  const assertion = params.get('client_assertion');
  if (assertionType !== undefined || assertion !== undefined) {
    if (basic || bodySecret !== undefined) {
      throw new InvalidRequest('Multiple client authentication methods used');
    }
    return authenticateAssertion(
      context,
      { assertionType, assertion, clientId: bodyId },
      urlsFor(context, request),
    );
  }
  if (basic && bodySecret !== undefined) {
    throw new InvalidRequest('Multiple client authentication methods used');
  }
  // Keycloak 17's ClientIdAndSecretAuthenticator: a form `client_id` wins over the header's, and
  // an unreadable header counts as none.
  const clientId = bodyId ?? basic?.clientId;
  if (clientId === undefined) throw new InvalidClient();
  const secret = bodySecret ?? basic?.secret;
  const client = context.clients.get(clientId);
  if (!client) throw unknownClient();
  if (client.isPublic) {
    if (options.confidentialOnly) throw new InvalidRequest('Client not allowed.');
    return client;
  }
  if (client.authMethod === 'private_key_jwt' || client.authMethod === 'client_secret_jwt') {
    // Keycloak 17 runs the client's own authenticator, which finds no assertion.
    throw new OAuthError('invalid_client', 'Parameter client_assertion_type is missing');
  }
  if (client.authMethod === 'tls_client_auth') {
    // The mock speaks plain HTTP, so no request carries a client certificate: Keycloak's X509
    // authenticator then only "attempts", which its flow reports as a failed authentication.
    throw new InvalidClient();
  }
  if (secret === undefined) {
    throw new UnauthorizedClient('Client secret not provided in request', 401);
  }
  if (!checkSecret(client, secret)) throw new UnauthorizedClient('Invalid client secret', 401);
  return client;
}

/**
 * The credentials of a `Basic` header, each form-urlencoded before base64 as RFC 6749 demands.
 * No header, another scheme or a malformed value gives `undefined`, as Keycloak's
 * `BasicAuthHelper` does.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
function parseBasic(header: string | undefined): { clientId: string; secret: string } | undefined {
  if (header === undefined || header === '') return undefined;
  const match = /^Basic +([A-Za-z0-9+/=]+)$/i.exec(header);
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) return undefined;
  try {
    return {
      clientId: formDecode(decoded.slice(0, colon)),
      secret: formDecode(decoded.slice(colon + 1)),
    };
  } catch {
    return undefined;
  }
}

function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}
