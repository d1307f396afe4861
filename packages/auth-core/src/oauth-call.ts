import {
  JWT_CLAIM_COMPARISON,
  JWT_TIMESTAMP_CHECK,
  OperationProcessingError,
  ResponseBodyError,
  UnsupportedOperationError,
  WWWAuthenticateChallengeError,
  allowInsecureRequests,
  customFetch,
} from 'oauth4webapi';
import {
  AuthCoreError,
  IdTokenError,
  OAuthError,
  ProfileError,
  ResponseInvalidError,
} from './errors.js';
import type { IdTokenFailure } from './errors.js';
import type { RequestOptions } from './transport.js';
import { isJsonObject, isLoopback, typedFetch, withDeadline } from './transport.js';

/** The transport options handed to every oauth4webapi request function. */
export interface OAuthHttpOptions {
  [customFetch]: typeof fetch;
  [allowInsecureRequests]: boolean;
  signal: AbortSignal;
}

/**
 * Checks that `endpoint` is `https`, or `http` on a loopback host (the mock), and returns it.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.1
 */
export function assertEndpoint(endpoint: string, name: string): URL {
  if (!URL.canParse(endpoint)) throw new ProfileError(`${name} "${endpoint}" is not a URL.`);
  const url = new URL(endpoint);
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url))) return url;
  throw new ProfileError(`${name} "${endpoint}" must use https (plain http only on loopback).`);
}

/**
 * Runs one oauth4webapi request-and-process pair against `endpoint` under the deadline of
 * `options`, turning the library's errors into the auth core's typed errors.
 */
export async function oauthCall<T>(
  options: RequestOptions,
  endpoint: string,
  what: string,
  run: (http: OAuthHttpOptions) => Promise<T>,
): Promise<T> {
  const url = assertEndpoint(endpoint, what);
  return withDeadline(options, async (signal) => {
    try {
      return await run({
        [customFetch]: typedFetch(options),
        [allowInsecureRequests]: url.protocol === 'http:',
        signal,
      });
    } catch (error) {
      throw await translateOAuthError(error, what);
    }
  });
}

/**
 * Maps an oauth4webapi failure to a typed error: error bodies to {@link OAuthError}, ID token
 * claim failures to {@link IdTokenError}, anything malformed to {@link ResponseInvalidError}.
 */
export async function translateOAuthError(error: unknown, what: string): Promise<AuthCoreError> {
  if (error instanceof AuthCoreError) return error;
  if (error instanceof ResponseBodyError) {
    return new OAuthError(oauthBody(error.cause) ?? { error: error.error }, {
      status: error.status,
      cause: error,
    });
  }
  if (error instanceof WWWAuthenticateChallengeError) return fromChallenge(error, what);
  if (error instanceof OperationProcessingError) {
    const status = error.cause instanceof Response ? error.cause.status : undefined;
    if (error.code === JWT_TIMESTAMP_CHECK || error.code === JWT_CLAIM_COMPARISON) {
      return new IdTokenError(idTokenFailure(error), `${what}: ${error.message}`, {
        status,
        cause: error,
      });
    }
    return new ResponseInvalidError(`${what}: ${error.message}`, { status, cause: error });
  }
  if (error instanceof UnsupportedOperationError) {
    return new ResponseInvalidError(`${what}: ${error.message}`, { cause: error });
  }
  return new ResponseInvalidError(`${what} could not be processed.`, { cause: error });
}

// oauth4webapi names the failed claim in `cause.claim`; jose's codes say the same for verifyIdToken.
function idTokenFailure(error: OperationProcessingError): IdTokenFailure {
  const claim = isJsonObject(error.cause) ? error.cause.claim : undefined;
  if (error.code === JWT_TIMESTAMP_CHECK && claim === 'exp') return 'ERR_JWT_EXPIRED';
  if (claim === 'nonce') return 'ERR_ID_TOKEN_NONCE';
  if (claim === 'azp') return 'ERR_ID_TOKEN_AZP';
  return 'ERR_JWT_CLAIM_VALIDATION_FAILED';
}

// RFC 6749 §5.2 has the server answer invalid_client with 401 and a WWW-Authenticate header;
// oauth4webapi then throws a challenge error before reading the body that names the error.
async function fromChallenge(
  error: WWWAuthenticateChallengeError,
  what: string,
): Promise<AuthCoreError> {
  let body: unknown;
  try {
    body = await error.response.clone().json();
  } catch {
    body = undefined;
  }
  const fromParams = error.cause.find((challenge) => challenge.parameters.error)?.parameters;
  const parsed =
    oauthBody(body) ??
    (fromParams?.error
      ? { error: fromParams.error, error_description: fromParams.error_description }
      : undefined);
  if (parsed) return new OAuthError(parsed, { status: error.status, cause: error });
  return new ResponseInvalidError(
    `${what} answered HTTP ${error.status} with an authentication challenge and no OAuth error.`,
    { status: error.status, cause: error },
  );
}

function oauthBody(
  body: unknown,
): { error: string; error_description?: string; error_uri?: string } | undefined {
  if (!isJsonObject(body) || typeof body.error !== 'string' || body.error === '') return undefined;
  return {
    error: body.error,
    ...(typeof body.error_description === 'string'
      ? { error_description: body.error_description }
      : {}),
    ...(typeof body.error_uri === 'string' ? { error_uri: body.error_uri } : {}),
  };
}
