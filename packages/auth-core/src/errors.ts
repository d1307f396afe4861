import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';

/**
 * Stable, literal error codes. Callers branch on `code`, never on `message`.
 */
export type AuthCoreErrorCode =
  | 'ERR_PKCE_VERIFIER_INVALID'
  | 'ERR_SCOPE_INVALID'
  | 'ERR_PROFILE_INVALID'
  | 'ERR_DISCOVERY'
  | 'ERR_STATE_MISMATCH'
  | 'ERR_ISSUER_MISMATCH'
  | 'ERR_AUTHORIZATION_DENIED'
  | 'ERR_CALLBACK_INVALID'
  | 'ERR_OAUTH'
  | 'ERR_RESPONSE_INVALID'
  | 'ERR_ID_TOKEN_INVALID'
  | 'ERR_NOT_SIGNED_IN'
  | 'ERR_FHIR'
  | 'ERR_NETWORK'
  | 'ERR_TIMEOUT'
  | 'ERR_ABORTED'
  | 'ERR_INVALID_ARGUMENT';

export interface AuthCoreErrorOptions {
  cause?: unknown;
  status?: number;
}

/**
 * Base class of every error the auth core throws. `code` is stable; `status` is the HTTP status
 * when the error came from a response.
 */
export class AuthCoreError extends Error {
  readonly code: AuthCoreErrorCode;
  readonly status: number | undefined;

  constructor(code: AuthCoreErrorCode, message: string, options: AuthCoreErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = options.status;
  }
}

/**
 * A PKCE code verifier that RFC 7636 forbids (length or alphabet).
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.1
 */
export class PkceError extends AuthCoreError {
  constructor(message: string) {
    super('ERR_PKCE_VERIFIER_INVALID', message);
  }
}

/**
 * A scope token that is not valid SMART App Launch syntax.
 * @see https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html
 */
export class ScopeError extends AuthCoreError {
  readonly scope: string;

  constructor(scope: string, message: string) {
    super('ERR_SCOPE_INVALID', message);
    this.scope = scope;
  }
}

/** The body of an OAuth 2.0 error response or error redirect, with the RFC's field names. */
export interface OAuthErrorBody {
  error: string;
  error_description?: string | undefined;
  error_uri?: string | undefined;
}

/**
 * An OAuth 2.0 error response from the token, revocation, introspection or userinfo endpoint
 * (`invalid_grant`, `invalid_client`, ...). `error` is the server's code, `status` its HTTP status.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export class OAuthError extends AuthCoreError {
  readonly error: string;
  readonly error_description: string | undefined;
  readonly error_uri: string | undefined;

  constructor(body: OAuthErrorBody, options: AuthCoreErrorOptions = {}) {
    super(
      'ERR_OAUTH',
      body.error_description ? `${body.error}: ${body.error_description}` : body.error,
      options,
    );
    this.error = body.error;
    this.error_description = body.error_description;
    this.error_uri = body.error_uri;
  }
}

/**
 * The authorization server redirected back with `error` (`access_denied`, ...) instead of a code.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
 */
export class AuthorizationDeniedError extends AuthCoreError {
  readonly error: string;
  readonly error_description: string | undefined;
  readonly error_uri: string | undefined;

  constructor(body: OAuthErrorBody, options: AuthCoreErrorOptions = {}) {
    super(
      'ERR_AUTHORIZATION_DENIED',
      body.error_description ? `${body.error}: ${body.error_description}` : body.error,
      options,
    );
    this.error = body.error;
    this.error_description = body.error_description;
    this.error_uri = body.error_uri;
  }
}

/**
 * A FHIR server answered with an error status; `outcome` is its `OperationOutcome` (or one built
 * from the status when the body carried none), `issues` its `issue` list.
 * @see https://hl7.org/fhir/R4/http.html#errors
 */
export class FhirError extends AuthCoreError {
  readonly outcome: OperationOutcome;
  readonly issues: readonly OperationOutcomeIssue[];
  /**
   * The token is valid but may not see this resource: a 403, or a 401 that is not about the
   * token (NextGen's "Resource not authorized to be viewed by this user", or a Bearer challenge
   * with `error="insufficient_scope"`). Signing in again does not help; fewer scopes were
   * granted, or the resource belongs to another patient.
   */
  readonly notAuthorized: boolean;
  /**
   * Whether `outcome` is the server's own; `false` when it was built from the status (a bare 401
   * from a gateway, a plain-text 404), so its words are this client's, not the server's.
   */
  readonly outcomeFromServer: boolean;

  constructor(
    message: string,
    outcome: OperationOutcome,
    options: AuthCoreErrorOptions & { notAuthorized?: boolean; outcomeFromServer?: boolean } = {},
  ) {
    super('ERR_FHIR', message, options);
    this.outcome = outcome;
    this.issues = outcome.issue ?? [];
    this.notAuthorized = options.notAuthorized ?? options.status === 403;
    this.outcomeFromServer = options.outcomeFromServer ?? false;
  }
}

/**
 * `fetch` rejected: DNS, connection refused, TLS, CORS or an offline browser.
 * @see https://fetch.spec.whatwg.org/#concept-network-error
 */
export class NetworkError extends AuthCoreError {
  constructor(message: string, options: AuthCoreErrorOptions = {}) {
    super('ERR_NETWORK', message, options);
  }
}

/**
 * A request did not complete within its `timeoutMs`.
 * @see https://dom.spec.whatwg.org/#interface-AbortSignal
 */
export class RequestTimeoutError extends AuthCoreError {
  constructor(message: string, options: AuthCoreErrorOptions = {}) {
    super('ERR_TIMEOUT', message, options);
  }
}

/**
 * The caller's `AbortSignal` aborted the request; `cause` is the signal's reason.
 * @see https://dom.spec.whatwg.org/#interface-AbortSignal
 */
export class RequestAbortedError extends AuthCoreError {
  constructor(message: string, options: AuthCoreErrorOptions = {}) {
    super('ERR_ABORTED', message, options);
  }
}

/**
 * A response that is not what the protocol prescribes: not JSON (an HTML 502 from a proxy), a
 * missing `access_token`, an unexpected status or resource type.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 */
export class ResponseInvalidError extends AuthCoreError {
  constructor(message: string, options: AuthCoreErrorOptions = {}) {
    super('ERR_RESPONSE_INVALID', message, options);
  }
}

/**
 * The callback's `state` is not the one this client sent: a forged or crossed response.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-10.12
 */
export class StateMismatchError extends AuthCoreError {
  constructor(message: string) {
    super('ERR_STATE_MISMATCH', message);
  }
}

/**
 * An `iss` (callback parameter or discovery document) names another issuer: a mix-up attack or a
 * misconfigured profile.
 * @see https://www.rfc-editor.org/rfc/rfc9207#section-2.4
 */
export class IssuerMismatchError extends AuthCoreError {
  readonly expected: string;
  readonly actual: string;

  constructor(expected: string, actual: string) {
    super('ERR_ISSUER_MISMATCH', `Expected issuer "${expected}", got "${actual}".`);
    this.expected = expected;
    this.actual = actual;
  }
}

/**
 * A callback URL with neither `code` nor `error`, or with parameters this client never asked for.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 */
export class CallbackInvalidError extends AuthCoreError {
  constructor(message: string, options: AuthCoreErrorOptions = {}) {
    super('ERR_CALLBACK_INVALID', message, options);
  }
}

/**
 * Why an ID token failed verification. The `ERR_JW*`/`ERR_JOSE_*` names are jose's own codes for
 * the same checks; the `ERR_ID_TOKEN_*` names are checks jose does not make.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation
 */
export type IdTokenFailure =
  | 'ERR_JWT_EXPIRED'
  | 'ERR_JWT_CLAIM_VALIDATION_FAILED'
  | 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'
  | 'ERR_JWKS_NO_MATCHING_KEY'
  | 'ERR_JWKS_MULTIPLE_MATCHING_KEYS'
  | 'ERR_JWKS_INVALID'
  | 'ERR_JWKS_TIMEOUT'
  | 'ERR_JOSE_ALG_NOT_ALLOWED'
  | 'ERR_ID_TOKEN_AZP'
  | 'ERR_ID_TOKEN_NONCE'
  | 'ERR_ID_TOKEN_CLAIMS'
  | 'ERR_ID_TOKEN_MALFORMED';

/**
 * An ID token that fails verification (signature, `kid`, `iss`, `aud`, `exp`, `nonce`); `reason`
 * names the failed check.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation
 */
export class IdTokenError extends AuthCoreError {
  readonly reason: IdTokenFailure;

  constructor(reason: IdTokenFailure, message: string, options: AuthCoreErrorOptions = {}) {
    super('ERR_ID_TOKEN_INVALID', message, options);
    this.reason = reason;
  }
}

/**
 * No usable session: never signed in, signed out, or the refresh token is gone or expired.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 */
export class NotSignedInError extends AuthCoreError {
  constructor(message: string, options: AuthCoreErrorOptions = {}) {
    super('ERR_NOT_SIGNED_IN', message, options);
  }
}

/**
 * A discovery document that could not be fetched or lacks required endpoints.
 * @see https://hl7.org/fhir/smart-app-launch/conformance.html#using-well-known
 */
export class DiscoveryError extends AuthCoreError {
  constructor(message: string, options: AuthCoreErrorOptions = {}) {
    super('ERR_DISCOVERY', message, options);
  }
}

/**
 * A server profile the client cannot use, e.g. a plain-`http` endpoint on a non-loopback host.
 * @see https://www.rfc-editor.org/rfc/rfc8252#section-8.3
 */
export class ProfileError extends AuthCoreError {
  constructor(message: string, options: AuthCoreErrorOptions = {}) {
    super('ERR_PROFILE_INVALID', message, options);
  }
}

/**
 * An argument that can never succeed (an empty token, a FHIR id with a `/`).
 * @see https://hl7.org/fhir/R4/datatypes.html#id
 */
export class InvalidArgumentError extends AuthCoreError {
  constructor(message: string) {
    super('ERR_INVALID_ARGUMENT', message);
  }
}
