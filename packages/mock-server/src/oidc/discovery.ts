import type { RouteHandlerMethod } from 'fastify';
import type { IdentityContext } from './context.js';
import { LruCache } from '../lru-cache.js';
import { publicOrigin } from '../origin.js';
import { readSpecFile } from '../spec-files.js';
import { realmUrls } from '../urls.js';

type Document = Record<string, unknown>;

let captured: Document | undefined;

function capturedDocument(): Document {
  captured ??= JSON.parse(readSpecFile('nextgen-office-openid-configuration.json')) as Document;
  return captured;
}

/** The realm's `scopes_supported`, as captured from the real server. */
export function supportedScopes(): string[] {
  return capturedDocument().scopes_supported as string[];
}

// Features of the real Keycloak that the mock does not implement, so it must not advertise them.
const UNIMPLEMENTED = [
  'check_session_iframe',
  'frontchannel_logout_session_supported',
  'frontchannel_logout_supported',
  'registration_endpoint',
  'device_authorization_endpoint',
  'backchannel_authentication_endpoint',
  'backchannel_authentication_request_signing_alg_values_supported',
  'backchannel_token_delivery_modes_supported',
  'pushed_authorization_request_endpoint',
  'mtls_endpoint_aliases',
  'id_token_encryption_alg_values_supported',
  'id_token_encryption_enc_values_supported',
  'userinfo_signing_alg_values_supported',
  'request_object_signing_alg_values_supported',
  'request_object_encryption_alg_values_supported',
  'request_object_encryption_enc_values_supported',
  'authorization_signing_alg_values_supported',
  'authorization_encryption_alg_values_supported',
  'authorization_encryption_enc_values_supported',
  'token_endpoint_auth_signing_alg_values_supported',
  'introspection_endpoint_auth_signing_alg_values_supported',
  'revocation_endpoint_auth_signing_alg_values_supported',
];

/**
 * The captured discovery document with the mock's endpoints at `origin` (from the route table),
 * advertising only what the mock implements.
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata
 */
export function discoveryDocument(origin: string): Document {
  const document = { ...capturedDocument() };
  for (const key of UNIMPLEMENTED) delete document[key];
  const urls = realmUrls(origin);
  return {
    ...document,
    issuer: urls.issuer,
    authorization_endpoint: urls.authorization,
    token_endpoint: urls.token,
    introspection_endpoint: urls.introspection,
    userinfo_endpoint: urls.userinfo,
    end_session_endpoint: urls.endSession,
    jwks_uri: urls.jwks,
    revocation_endpoint: urls.revocation,
    grant_types_supported: ['authorization_code', 'refresh_token'],
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    revocation_endpoint_auth_methods_supported: [
      'client_secret_basic',
      'client_secret_post',
      'none',
    ],
    code_challenge_methods_supported: ['S256'],
    claims_supported: [...(document.claims_supported as string[]), 'fhirUser'],
    claims_parameter_supported: false,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    require_request_uri_registration: false,
    require_pushed_authorization_requests: false,
    tls_client_certificate_bound_access_tokens: false,
    backchannel_logout_supported: false,
    backchannel_logout_session_supported: false,
    // Keycloak 2x sends `iss` with every authorization response.
    authorization_response_iss_parameter_supported: true,
  };
}

/** `GET /.well-known/openid-configuration`. */
export function discoveryEndpoint(context: IdentityContext): RouteHandlerMethod {
  // Serialised once per origin: the document is large and the same for every caller of an origin.
  // Bounded, because the Host header is the caller's to choose.
  const serialised = new LruCache<string, string>(32);
  return (request, reply) => {
    const origin = publicOrigin(request, context.config.publicUrl);
    const body = serialised.getOrCreate(origin, () => JSON.stringify(discoveryDocument(origin)));
    return reply.header('cache-control', 'no-cache').type('application/json').send(body);
  };
}

/**
 * `GET /protocol/openid-connect/certs`: the JWKS with the signing key's `kid`.
 * @see https://www.rfc-editor.org/rfc/rfc7517#section-5
 */
export function certsEndpoint(context: IdentityContext): RouteHandlerMethod {
  let body: string | undefined;
  return async (_request, reply) => {
    body ??= JSON.stringify({ keys: [(await context.keys()).publicJwk] });
    return reply.type('application/json').header('cache-control', 'no-cache').send(body);
  };
}
