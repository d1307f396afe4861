import type { JWTVerifyGetKey } from 'jose';
import { createRemoteJWKSet, customFetch, errors, jwtVerify } from 'jose';
import type { IdTokenFailure } from './errors.js';
import { AuthCoreError, IdTokenError } from './errors.js';
import { assertEndpoint } from './oauth-call.js';
import type { ServerProfile } from './server-profile.js';
import type { RequestOptions } from './transport.js';
import { DEFAULT_TIMEOUT_MS, now, typedFetch, withDeadline } from './transport.js';

/**
 * The verified claims of an ID token; `fhirUser` is the SMART claim naming the signed-in user's
 * FHIR resource (NextGen: `Person/...`).
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDToken
 * @see https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html#scopes-for-requesting-identity-data
 */
export interface IdTokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  fhirUser?: string;
  nonce?: string;
  auth_time?: number;
  azp?: string;
  nbf?: number;
  jti?: string;
  [claim: string]: unknown;
}

/** What {@link verifyIdToken} checks the token against. */
export interface VerifyIdTokenOptions extends RequestOptions {
  profile: ServerProfile;
  clientId: string;
  /** The authorization request's nonce; when given the token must carry exactly it. */
  nonce?: string;
  /** Seconds of clock skew tolerated on `exp`/`iat` (default 30, as oauth4webapi). */
  clockToleranceSec?: number;
}

const DEFAULT_FETCH = {};
const keySets = new WeakMap<object, Map<string, JWTVerifyGetKey>>();

// One remote key set per fetch and JWKS URI, so keys are cached across verifications and an
// unknown `kid` triggers jose's single, rate-limited refetch rather than one per token.
function remoteKeySet(jwksUri: string, options: RequestOptions): JWTVerifyGetKey {
  const owner = options.fetch ?? DEFAULT_FETCH;
  let byUri = keySets.get(owner);
  if (!byUri) keySets.set(owner, (byUri = new Map()));
  let keySet = byUri.get(jwksUri);
  if (!keySet) {
    const fetchImpl = typedFetch(options);
    keySet = createRemoteJWKSet(assertEndpoint(jwksUri, 'The JWKS URI'), {
      timeoutDuration: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      [customFetch]: (url, init) => fetchImpl(url, init),
    });
    byUri.set(jwksUri, keySet);
  }
  return keySet;
}

/**
 * Verifies an RS256 ID token against the issuer's JWKS: signature and `kid`, `iss`, `aud`
 * (and `azp` when there are several audiences), `exp` against the injected clock, `nonce`.
 * Throws {@link IdTokenError} whose `reason` names the failed check.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation
 */
export async function verifyIdToken(
  idToken: string,
  options: VerifyIdTokenOptions,
): Promise<IdTokenClaims> {
  const { profile, clientId, nonce } = options;
  try {
    const { payload } = await withDeadline(options, () =>
      jwtVerify(idToken, remoteKeySet(profile.jwksUri, options), {
        issuer: profile.issuer,
        audience: clientId,
        algorithms: ['RS256'],
        currentDate: new Date(now(options)),
        clockTolerance: options.clockToleranceSec ?? 30,
        requiredClaims: ['sub', 'exp', 'iat'],
      }),
    );
    if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp !== clientId) {
      throw new IdTokenError('ERR_ID_TOKEN_AZP', 'The ID token was issued to another party (azp).');
    }
    if (nonce !== undefined && payload.nonce !== nonce) {
      throw new IdTokenError('ERR_ID_TOKEN_NONCE', 'The ID token nonce is not the one sent.');
    }
    if (payload.fhirUser !== undefined && typeof payload.fhirUser !== 'string') {
      throw new IdTokenError('ERR_ID_TOKEN_CLAIMS', 'The ID token fhirUser claim is not a string.');
    }
    return payload as IdTokenClaims;
  } catch (error) {
    if (error instanceof AuthCoreError) throw error;
    if (error instanceof errors.JOSEError) {
      throw new IdTokenError(joseFailure(error.code), `The ID token is invalid: ${error.message}`, {
        cause: error,
      });
    }
    throw new IdTokenError('ERR_ID_TOKEN_MALFORMED', 'The ID token could not be verified.', {
      cause: error,
    });
  }
}

const JOSE_FAILURES: ReadonlySet<string> = new Set<IdTokenFailure>([
  'ERR_JWT_EXPIRED',
  'ERR_JWT_CLAIM_VALIDATION_FAILED',
  'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
  'ERR_JWKS_INVALID',
  'ERR_JWKS_TIMEOUT',
  'ERR_JOSE_ALG_NOT_ALLOWED',
]);

// jose's other codes (ERR_JWS_INVALID, ERR_JWT_INVALID, ERR_JOSE_NOT_SUPPORTED, ...) all mean a
// token that cannot be parsed as a signed JWT at all.
function joseFailure(code: string): IdTokenFailure {
  return JOSE_FAILURES.has(code) ? (code as IdTokenFailure) : 'ERR_ID_TOKEN_MALFORMED';
}
