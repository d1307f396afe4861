import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { bearerChallenge } from '../bearer.js';
import { InjectedFault } from '../faults.js';
import { sendHtml } from '../security/headers.js';
import { renderErrorPage } from './pages/message.js';

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
 * Client authentication failed in a way Keycloak 17's client authentication flow reports as
 * `invalid_client` (400, no challenge): no authenticator identified the client, or the one the
 * client is configured for did not finish (`tls_client_auth` without a certificate).
 * `AuthenticationProcessor.handleClientAuthException`, Keycloak 12 to 19.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export class InvalidClient extends OAuthError {
  constructor(description = 'Invalid client credentials', status = 400) {
    super('invalid_client', description, status);
  }
}

/**
 * Keycloak 17's `unauthorized_client` for a failed client authentication: 400 "Invalid client
 * credentials" for an unknown client (`CLIENT_NOT_FOUND`), 401 for a wrong or missing secret
 * (`ClientIdAndSecretAuthenticator`). Keycloak 20 moved all of these to 401 `invalid_client`.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export class UnauthorizedClient extends OAuthError {
  constructor(description: string, status = 400) {
    super('unauthorized_client', description, status);
  }
}

/** Keycloak 17's answer for a `client_id` no client of the realm has. */
export function unknownClient(): UnauthorizedClient {
  return new UnauthorizedClient('Invalid client credentials');
}

/**
 * A bearer token that is missing, expired, revoked or not ours.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
export class InvalidToken extends OAuthError {
  constructor(description: string) {
    super('invalid_token', description, 401, {
      'www-authenticate': bearerChallenge({ code: 'invalid_token', description }),
    });
  }
}

/** @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1 */
export class InsufficientScope extends OAuthError {
  constructor(description: string) {
    super('insufficient_scope', description, 403, {
      'www-authenticate': bearerChallenge({ code: 'insufficient_scope', description }),
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

/**
 * Keycloak's "We are sorry..." page, for an error of a browser screen that must not redirect (an
 * unknown client, a redirect URI that is not registered, an expired login attempt).
 */
export class ErrorPage extends Error {
  readonly status: number;

  constructor(message: string, status = 400) {
    super(message);
    this.name = 'ErrorPage';
    this.status = status;
  }
}

function retryAfter(reply: FastifyReply): Record<string, string> {
  const value = reply.getHeader('retry-after');
  return value === undefined ? {} : { 'retry-after': String(value) };
}

/**
 * Any error in Keycloak's JSON shape: an {@link OAuthError} as it is; Fastify's own client errors
 * (bad JSON, body too large, unsupported media type, rate limit) with their 4xx status as
 * `invalid_request` (`temporarily_unavailable` for a 429); anything else as a `server_error`
 * without internal detail. The app's last resort uses it too, for the routes of no protocol.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export function answerJsonError(
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  if (error instanceof OAuthError) return sendOAuthError(reply, error);
  const status = 'statusCode' in error ? (error.statusCode ?? 500) : 500;
  if (status >= 400 && status < 500) {
    const code = status === 429 ? 'temporarily_unavailable' : 'invalid_request';
    return sendOAuthError(reply, new OAuthError(code, error.message, status, retryAfter(reply)));
  }
  request.log.error({ err: error }, 'unexpected error');
  return sendOAuthError(reply, new OAuthError('server_error', 'Unexpected server error', 500));
}

/** A path no route serves, in Keycloak's words. */
export function answerNotFound(_request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendOAuthError(
    reply,
    new OAuthError('not_found', 'Unable to find matching target resource method', 404),
  );
}

/**
 * The identity plugin's error handler: Keycloak's HTML error page for an {@link ErrorPage} of a
 * browser screen, an injected fault as the OAuth error it names, anything else as JSON.
 */
export function answerIdentityError(
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  if (error instanceof ErrorPage) {
    return sendHtml(reply, renderErrorPage(error.message), { status: error.status });
  }
  if (error instanceof InjectedFault) {
    const code =
      error.error ?? (error.status >= 500 ? 'temporarily_unavailable' : 'invalid_request');
    return sendOAuthError(reply, new OAuthError(code, error.message, error.status));
  }
  return answerJsonError(error, request, reply);
}
