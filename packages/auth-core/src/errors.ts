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
  | 'ERR_ABORTED';

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
