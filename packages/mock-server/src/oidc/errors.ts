import type { FastifyReply } from 'fastify';

/**
 * An OAuth 2.0 error response: `error` is the RFC's code, `error_description` Keycloak's text.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export class OAuthError extends Error {
  readonly error: string;
  readonly status: number;
  /** Extra response headers (`WWW-Authenticate`, `Retry-After`). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(error: string, description: string, status = 400, headers = {}) {
    super(description);
    this.name = 'OAuthError';
    this.error = error;
    this.status = status;
    this.headers = headers;
  }
}

/** @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2 */
export class InvalidRequest extends OAuthError {
  constructor(description: string) {
    super('invalid_request', description);
  }
}

/** @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2 */
export class InvalidGrant extends OAuthError {
  constructor(description: string) {
    super('invalid_grant', description);
  }
}

/** @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2 */
export class InvalidScope extends OAuthError {
  constructor(description: string) {
    super('invalid_scope', description);
  }
}

/** @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2 */
export class UnsupportedGrantType extends OAuthError {
  constructor() {
    super('unsupported_grant_type', 'Unsupported grant_type');
  }
}

/**
 * Client authentication failed: 401 with a `WWW-Authenticate` challenge for the scheme offered.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export class InvalidClient extends OAuthError {
  constructor(description = 'Invalid client or Invalid client credentials') {
    super('invalid_client', description, 401, { 'www-authenticate': 'Basic realm="nextgen"' });
  }
}

/**
 * A bearer token that is missing, expired, revoked or not ours.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
export class InvalidToken extends OAuthError {
  constructor(description: string) {
    super('invalid_token', description, 401, {
      'www-authenticate': `Bearer realm="nextgen", error="invalid_token", error_description="${description.replace(/["\\]/g, '')}"`,
    });
  }
}

/** @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1 */
export class InsufficientScope extends OAuthError {
  constructor(description: string) {
    super('insufficient_scope', description, 403, {
      'www-authenticate': `Bearer realm="nextgen", error="insufficient_scope", error_description="${description}"`,
    });
  }
}

/** Sends `error` as JSON with the headers RFC 6749 §5.1 demands of token responses. */
export function sendOAuthError(reply: FastifyReply, error: OAuthError): FastifyReply {
  return reply
    .code(error.status)
    .headers({ 'cache-control': 'no-store', pragma: 'no-cache', ...error.headers })
    .send({ error: error.error, error_description: error.message });
}
