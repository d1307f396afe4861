import {
  compactVerify,
  decodeJwt,
  decodeProtectedHeader,
  importJWK,
  type JWK,
  type JWTPayload,
} from 'jose';
import type { Client } from './clients.js';
import type { IdentityContext } from './context.js';
import { InvalidClient, OAuthError, unknownClient } from './errors.js';
import type { RealmUrls } from '../urls.js';

/** @see https://www.rfc-editor.org/rfc/rfc7523#section-2.2 */
export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** SMART asks servers for RS384 and ES384; RS256 and ES256 are what most libraries sign with. */
const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'ES256', 'ES384'];
const SYMMETRIC_ALGORITHMS = ['HS256'];
/** SMART Backend Services: `exp` no more than five minutes in the future. */
const MAX_LIFETIME_S = 300;

/** The `client_assertion` parameters of a token, revocation or introspection request. */
export interface AssertionParams {
  assertionType: string | undefined;
  assertion: string | undefined;
  clientId: string | undefined;
}

/** A failure of a client assertion, in Keycloak 17's words for the method. */
class AssertionFailure extends Error {}

/**
 * Authenticates a client by its `client_assertion`, as Keycloak 17's `JWTClientAuthenticator`
 * (`private_key_jwt`) and `JWTClientSecretAuthenticator` (`client_secret_jwt`) do, in their order
 * and words: 400 `invalid_client` for the parameters, then 400 with "Client authentication with
 * signed JWT failed: …" (`invalid_client`) or "…with client secret signed JWT failed: …"
 * (`unauthorized_client`) for the token. `exp` at most five minutes ahead is SMART's rule, on top.
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-3
 * @see https://hl7.org/fhir/smart-app-launch/client-confidential-asymmetric.html
 * @see https://openid.net/specs/openid-connect-core-1_0.html#ClientAuthentication
 */
export async function authenticateAssertion(
  context: IdentityContext,
  params: AssertionParams,
  urls: RealmUrls,
): Promise<Client> {
  const { assertionType, assertion } = params;
  if (assertionType === undefined) {
    throw new OAuthError('invalid_client', 'Parameter client_assertion_type is missing');
  }
  if (assertionType !== JWT_BEARER) {
    throw new OAuthError(
      'invalid_client',
      `Parameter client_assertion_type has value '${assertionType}' but expected is '${JWT_BEARER}'`,
    );
  }
  if (assertion === undefined) {
    throw new OAuthError('invalid_client', 'client_assertion parameter missing');
  }

  let header: { alg?: string; kid?: string };
  let claims: JWTPayload;
  try {
    header = decodeProtectedHeader(assertion);
    claims = decodeJwt(assertion);
  } catch {
    throw signedJwtFailure('private_key_jwt', 'Parsing error');
  }
  const clientId = claims.sub;
  if (typeof clientId !== 'string' || clientId === '') {
    throw signedJwtFailure(
      'private_key_jwt',
      "Can't identify client. Subject missing on JWT token",
    );
  }
  if (claims.iss !== clientId) {
    throw signedJwtFailure(
      'private_key_jwt',
      'Issuer mismatch. The issuer should match the subject',
    );
  }
  if (params.clientId !== undefined && params.clientId !== clientId) {
    throw signedJwtFailure(
      'private_key_jwt',
      'client_id parameter not matching with client from JWT token',
    );
  }
  const client = context.clients.get(clientId);
  if (!client) throw unknownClient();
  // A client of another method: its own authenticator identifies nothing, and the flow ends
  // without one.
  if (client.authMethod !== 'private_key_jwt' && client.authMethod !== 'client_secret_jwt') {
    throw new InvalidClient();
  }
  const method = client.authMethod;
  try {
    await verifySignature(context, client, assertion, header);
    checkClaims(context, claims, urls);
  } catch (error) {
    if (error instanceof AssertionFailure) throw signedJwtFailure(method, error.message);
    throw error;
  }
  return client;
}

function signedJwtFailure(method: 'private_key_jwt' | 'client_secret_jwt', reason: string) {
  return method === 'private_key_jwt'
    ? new OAuthError('invalid_client', `Client authentication with signed JWT failed: ${reason}`)
    : new OAuthError(
        'unauthorized_client',
        `Client authentication with client secret signed JWT failed: ${reason}`,
      );
}

async function verifySignature(
  context: IdentityContext,
  client: Client,
  assertion: string,
  header: { alg?: string; kid?: string },
): Promise<void> {
  if (client.authMethod === 'client_secret_jwt') {
    const failed = 'Signature on JWT token by client secret  failed validation';
    if (!header.alg || !SYMMETRIC_ALGORITHMS.includes(header.alg))
      throw new AssertionFailure(failed);
    for (const secret of client.hmacSecrets) {
      try {
        await compactVerify(assertion, secret, { algorithms: SYMMETRIC_ALGORITHMS });
        return;
      } catch {
        // Try the client's next secret.
      }
    }
    throw new AssertionFailure(failed);
  }
  const failed = 'Signature on JWT token failed validation';
  if (!header.alg || !ASYMMETRIC_ALGORITHMS.includes(header.alg))
    throw new AssertionFailure(failed);
  const jwk = await context.clientKeys.keyFor(client, header.kid);
  if (!jwk) {
    // Keycloak 17's JWTClientAuthenticator#getSignatureValidationKey.
    throw new OAuthError('unauthorized_client', 'Unable to load public key');
  }
  try {
    const key = await importJWK(jwk as JWK, header.alg);
    await compactVerify(assertion, key, { algorithms: [header.alg] });
  } catch {
    throw new AssertionFailure(failed);
  }
}

function checkClaims(context: IdentityContext, claims: JWTPayload, urls: RealmUrls): void {
  // Keycloak accepts the issuer and its endpoints that take client authentication.
  const expected = [
    urls.issuer,
    urls.token,
    urls.introspection,
    urls.pushedAuthorization,
    urls.backchannelAuthentication,
  ];
  const audiences = claims.aud === undefined ? [] : [claims.aud].flat();
  if (!audiences.some((audience) => expected.includes(audience))) {
    throw new AssertionFailure(
      `Token audience doesn't match domain. Expected audiences are any of [${expected.join(', ')}] but audience from token is '[${audiences.join(', ')}]'`,
    );
  }
  const now = Math.floor(context.clock.now() / 1000);
  const exp = typeof claims.exp === 'number' ? claims.exp : 0;
  const nbf = typeof claims.nbf === 'number' ? claims.nbf : 0;
  const iat = typeof claims.iat === 'number' ? claims.iat : 0;
  // Keycloak's JsonWebToken#isActive, and KEYCLOAK-2986: without `exp`, `iat` must be recent.
  if ((exp !== 0 && now > exp) || now < nbf || (exp === 0 && iat + 10 < now)) {
    throw new AssertionFailure('Token is not active');
  }
  if (exp > now + MAX_LIFETIME_S) {
    throw new AssertionFailure(
      `Token expires more than ${MAX_LIFETIME_S} seconds from now (SMART's limit)`,
    );
  }
  if (typeof claims.jti !== 'string' || claims.jti === '') {
    throw new AssertionFailure('Missing ID on the token');
  }
  // Remembered for the assertion's remaining life, at least 10 s, as Keycloak's single-use cache.
  const until = (Math.max(exp - now, 10) + now) * 1000;
  if (!context.store.useAssertionId(claims.jti, until, context.clock.now())) {
    throw new AssertionFailure('Token reuse detected');
  }
}
