import { createPublicKey, randomBytes, randomUUID, type JsonWebKey } from 'node:crypto';
import type {
  ClientGrantType,
  ClientJwks,
  ClientRegistration,
  TokenEndpointAuthMethod,
} from '../config.js';
import type { Client } from './clients.js';
import { idTokenSigningAlgorithms } from './discovery.js';
import { OAuthError } from './errors.js';
import { knownScopes } from './scope-policy.js';

/**
 * RFC 7591 client metadata, as `POST /__admin/clients` and the config file take it.
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-2
 */
export interface ClientMetadata {
  client_id?: string;
  client_name?: string;
  redirect_uris?: string[];
  post_logout_redirect_uris?: string[];
  token_endpoint_auth_method?: TokenEndpointAuthMethod;
  client_secret?: string;
  jwks?: ClientJwks;
  jwks_uri?: string;
  grant_types?: ClientGrantType[];
  scope?: string;
  id_token_signed_response_alg?: string;
}

const AUTH_METHODS: readonly TokenEndpointAuthMethod[] = [
  'client_secret_basic',
  'client_secret_post',
  'client_secret_jwt',
  'private_key_jwt',
  // Registrable as a Keycloak admin can configure it; the mock sees no certificates, so such a
  // client is refused as Keycloak refuses one whose request carries none.
  'tls_client_auth',
  'none',
];
const GRANT_TYPES: readonly ClientGrantType[] = [
  'authorization_code',
  'refresh_token',
  'client_credentials',
];
const SECRET_METHODS = new Set(['client_secret_basic', 'client_secret_post', 'client_secret_jwt']);
/** The RFC 7591 metadata a test may register a client with. */
export const REGISTRABLE_FIELDS = [
  'client_id',
  'client_name',
  'redirect_uris',
  'post_logout_redirect_uris',
  'token_endpoint_auth_method',
  'client_secret',
  'jwks',
  'jwks_uri',
  'grant_types',
  'scope',
  'id_token_signed_response_alg',
] as const;
const FIELDS = new Set<string>([
  ...REGISTRABLE_FIELDS,
  // Read-only fields of a registration response, accepted so one can be registered again.
  'client_id_issued_at',
  'client_secret_expires_at',
  'response_types',
]);
const ASYMMETRIC_KEY_TYPES = new Set(['RSA', 'EC']);

/** @see https://www.rfc-editor.org/rfc/rfc7591#section-3.2.2 */
function invalidMetadata(description: string): OAuthError {
  return new OAuthError('invalid_client_metadata', description);
}

/** @see https://www.rfc-editor.org/rfc/rfc7591#section-3.2.2 */
function invalidRedirectUri(description: string): OAuthError {
  return new OAuthError('invalid_redirect_uri', description);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((each) => typeof each === 'string');
}

function optionalString(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '' || value.length > 2048) {
    throw invalidMetadata(`${name} must be a non-empty string`);
  }
  return value;
}

/**
 * Whether the mock may fetch keys from `uri`: https, or http on a loopback address (a test's own
 * server), so a registration cannot make the mock call into a private network.
 */
export function isAllowedJwksUri(uri: string): boolean {
  if (!URL.canParse(uri)) return false;
  const url = new URL(uri);
  if (url.username || url.password || url.hash) return false;
  if (url.protocol === 'https:') return true;
  return (
    url.protocol === 'http:' &&
    (url.hostname === 'localhost' ||
      url.hostname === '[::1]' ||
      /^127(\.\d{1,3}){3}$/.test(url.hostname))
  );
}

function redirectUris(body: Record<string, unknown>, name: string): string[] | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (!isStringArray(value)) throw invalidRedirectUri(`${name} must be an array of URIs`);
  for (const uri of value) {
    // Keycloak-style `*` patterns are accepted, as in the config file.
    if (!URL.canParse(uri.replaceAll('*', 'x')) || uri.includes('#')) {
      throw invalidRedirectUri(`${name}: "${uri}" is not an absolute URI without a fragment`);
    }
  }
  return value;
}

function validJwks(value: unknown): ClientJwks {
  if (
    value === null ||
    typeof value !== 'object' ||
    !Array.isArray((value as { keys?: unknown }).keys) ||
    (value as ClientJwks).keys.length === 0
  ) {
    throw invalidMetadata('jwks must be a JSON Web Key Set with at least one key');
  }
  const { keys } = value as ClientJwks;
  for (const [index, key] of keys.entries()) {
    if (key === null || typeof key !== 'object' || Array.isArray(key)) {
      throw invalidMetadata(`jwks.keys[${index}] is not a JSON Web Key`);
    }
    if ('d' in key || 'k' in key) {
      throw invalidMetadata(
        `jwks.keys[${index}] holds private key material; register public keys only`,
      );
    }
    if (!ASYMMETRIC_KEY_TYPES.has(String(key.kty))) {
      throw invalidMetadata(`jwks.keys[${index}]: kty must be RSA or EC`);
    }
    let details;
    try {
      details = createPublicKey({ key: key as JsonWebKey, format: 'jwk' }).asymmetricKeyDetails;
    } catch (error) {
      throw invalidMetadata(
        `jwks.keys[${index}] is not a usable public key: ${(error as Error).message}`,
      );
    }
    // RS256/RS384 need 2048-bit keys, ES256/ES384 the P-256 or P-384 curve.
    // https://www.rfc-editor.org/rfc/rfc7518#section-3.3
    if (
      (key.kty === 'RSA' && (details?.modulusLength ?? 0) < 2048) ||
      (key.kty === 'EC' && key.crv !== 'P-256' && key.crv !== 'P-384')
    ) {
      throw invalidMetadata(`jwks.keys[${index}]: RSA keys need 2048 bits, EC keys P-256 or P-384`);
    }
  }
  return { keys: keys.map((key) => ({ ...key })) };
}

/**
 * Validates RFC 7591 client metadata into a registration; throws `invalid_client_metadata` or
 * `invalid_redirect_uri` naming the first fault. A missing `client_id` is generated, and so is a
 * missing secret of a secret-based method, as a registration endpoint issues them.
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3.2.2
 */
export function registrationFromMetadata(body: unknown): ClientRegistration {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw invalidMetadata('The body must be a JSON object of RFC 7591 client metadata');
  }
  const metadata = body as Record<string, unknown>;
  const unknown = Object.keys(metadata).find((name) => !FIELDS.has(name));
  if (unknown !== undefined) throw invalidMetadata(`Unsupported client metadata: ${unknown}`);

  const clientId = optionalString(metadata, 'client_id') ?? randomUUID();
  const method = metadata.token_endpoint_auth_method ?? 'client_secret_basic';
  if (!AUTH_METHODS.includes(method as TokenEndpointAuthMethod)) {
    throw invalidMetadata(`token_endpoint_auth_method must be one of ${AUTH_METHODS.join(', ')}`);
  }
  const authMethod = method as TokenEndpointAuthMethod;

  const grants = metadata.grant_types ?? ['authorization_code', 'refresh_token'];
  if (!isStringArray(grants) || grants.length === 0) {
    throw invalidMetadata('grant_types must be a non-empty array');
  }
  const unsupportedGrant = grants.find((grant) => !GRANT_TYPES.includes(grant as ClientGrantType));
  if (unsupportedGrant !== undefined) {
    throw invalidMetadata(
      `grant_types: ${unsupportedGrant} is not one of ${GRANT_TYPES.join(', ')}`,
    );
  }
  const grantTypes = [...new Set(grants)] as ClientGrantType[];
  if (grantTypes.includes('client_credentials') && authMethod === 'none') {
    throw invalidMetadata(
      'client_credentials needs a confidential client (a public client has no service account)',
    );
  }

  const redirects = redirectUris(metadata, 'redirect_uris') ?? [];
  if (grantTypes.includes('authorization_code') && redirects.length === 0) {
    throw invalidRedirectUri('redirect_uris is required for the authorization_code grant');
  }
  const postLogout = redirectUris(metadata, 'post_logout_redirect_uris');

  const secret = optionalString(metadata, 'client_secret');
  if (secret !== undefined && !SECRET_METHODS.has(authMethod)) {
    throw invalidMetadata(`client_secret is not used by ${authMethod}`);
  }
  if (authMethod === 'client_secret_jwt' && secret !== undefined && secret.length < 32) {
    // HS256 needs a key of at least its hash size. https://www.rfc-editor.org/rfc/rfc7518#section-3.2
    throw invalidMetadata(
      'client_secret of client_secret_jwt must be at least 32 characters (HS256)',
    );
  }

  const jwksUri = optionalString(metadata, 'jwks_uri');
  if (metadata.jwks !== undefined && jwksUri !== undefined) {
    // https://www.rfc-editor.org/rfc/rfc7591#section-2: both MUST NOT be present.
    throw invalidMetadata('jwks and jwks_uri must not both be present');
  }
  if (jwksUri !== undefined && !isAllowedJwksUri(jwksUri)) {
    throw invalidMetadata('jwks_uri must be an https URI, or http on a loopback address');
  }
  const jwks = metadata.jwks === undefined ? undefined : validJwks(metadata.jwks);
  if (authMethod === 'private_key_jwt' && jwks === undefined && jwksUri === undefined) {
    throw invalidMetadata('private_key_jwt needs jwks or jwks_uri');
  }
  if (authMethod !== 'private_key_jwt' && (jwks !== undefined || jwksUri !== undefined)) {
    throw invalidMetadata(`jwks and jwks_uri are used by private_key_jwt only, not ${authMethod}`);
  }

  const scope = optionalString(metadata, 'scope');
  if (scope !== undefined && knownScopes(scope, 'any') === undefined) {
    throw invalidMetadata(`scope: not scopes of the realm: ${scope}`);
  }
  const alg = optionalString(metadata, 'id_token_signed_response_alg');
  if (alg !== undefined && !idTokenSigningAlgorithms().includes(alg)) {
    throw invalidMetadata(
      `id_token_signed_response_alg must be one of ${idTokenSigningAlgorithms().join(', ')}`,
    );
  }
  // HS256/384/512 ID tokens are keyed with the client secret (OIDC Core §10.1).
  if (alg?.startsWith('HS') && !SECRET_METHODS.has(authMethod)) {
    throw invalidMetadata(`id_token_signed_response_alg ${alg} needs a client secret`);
  }
  const name = optionalString(metadata, 'client_name');

  return {
    clientId,
    secrets: SECRET_METHODS.has(authMethod)
      ? [secret ?? randomBytes(32).toString('base64url')]
      : [],
    redirectUris: redirects,
    ...(postLogout ? { postLogoutRedirectUris: postLogout } : {}),
    ...(name ? { name } : {}),
    tokenEndpointAuthMethod: authMethod,
    ...(jwks ? { jwks } : {}),
    ...(jwksUri ? { jwksUri } : {}),
    grantTypes,
    ...(scope ? { scope } : {}),
    ...(alg ? { idTokenSignedResponseAlg: alg } : {}),
  };
}

/**
 * A client's registered metadata, as a registration response gives it back.
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3.2.1
 */
export function clientMetadata(client: Client): Record<string, unknown> {
  const { registration } = client;
  return {
    client_id: client.clientId,
    client_id_issued_at: client.issuedAt,
    ...(registration.secrets[0] === undefined
      ? {}
      : { client_secret: registration.secrets[0], client_secret_expires_at: 0 }),
    client_name: client.name,
    redirect_uris: client.redirectUris,
    ...(registration.postLogoutRedirectUris
      ? { post_logout_redirect_uris: registration.postLogoutRedirectUris }
      : {}),
    token_endpoint_auth_method: client.authMethod,
    ...(client.jwks ? { jwks: client.jwks } : {}),
    ...(client.jwksUri ? { jwks_uri: client.jwksUri } : {}),
    grant_types: [...client.grantTypes],
    response_types: client.grantTypes.has('authorization_code') ? ['code'] : [],
    ...(client.scope ? { scope: client.scope } : {}),
    ...(client.idTokenSignedResponseAlg
      ? { id_token_signed_response_alg: client.idTokenSignedResponseAlg }
      : {}),
  };
}
