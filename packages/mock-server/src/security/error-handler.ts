import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  badRequest,
  notFound,
  OperationOutcomeError,
  serverError,
  statusOf,
} from '../fhir/outcomes.js';
import { OAuthError, sendOAuthError } from '../oidc/errors.js';
import { FHIR_PATH } from '../oidc/urls.js';

function isFhir(request: FastifyRequest): boolean {
  return (
    request.url === FHIR_PATH ||
    request.url.startsWith(`${FHIR_PATH}/`) ||
    request.url.startsWith(`${FHIR_PATH}?`)
  );
}

/**
 * The app's last-resort error handler: protocol errors keep their shape; Fastify's own client
 * errors (bad JSON, body too large, unsupported media type, rate limit) keep their 4xx status in
 * the protocol's shape; anything else is a `server_error` (OAuth) or an `exception` outcome (FHIR)
 * with no internal detail.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 * @see https://hl7.org/fhir/R4/operationoutcome.html
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof OperationOutcomeError) {
      return reply
        .code(error.status)
        .headers(error.headers)
        .type('application/fhir+json')
        .send(error.outcome);
    }
    if (error instanceof OAuthError) return sendOAuthError(reply, error);
    const status = error.statusCode ?? 500;
    const clientError = status >= 400 && status < 500;
    if (!clientError) request.log.error({ err: error }, 'unexpected error');
    if (isFhir(request)) {
      const outcome = clientError ? badRequest(error.message) : serverError();
      return reply
        .code(clientError ? status : statusOf(outcome))
        .type('application/fhir+json')
        .send(outcome);
    }
    if (!clientError) {
      return sendOAuthError(reply, new OAuthError('server_error', 'Unexpected server error', 500));
    }
    const code = status === 429 ? 'temporarily_unavailable' : 'invalid_request';
    return sendOAuthError(reply, new OAuthError(code, error.message, status, retryAfter(reply)));
  });
}

/**
 * Fastify's `frameworkErrors`: a URL the router refuses before any route runs (bad percent-encoding,
 * an over-long path segment) answers in the protocol's shape with Fastify's 4xx status.
 */
export function frameworkErrorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const status = error.statusCode ?? 400;
  const message =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'Path segment too long' : 'Invalid URL';
  if (isFhir(request)) {
    reply.code(status).type('application/fhir+json').send(badRequest(message));
    return;
  }
  sendOAuthError(reply, new OAuthError('invalid_request', message, status));
}

function retryAfter(reply: FastifyReply): Record<string, string> {
  const value = reply.getHeader('retry-after');
  return value === undefined ? {} : { 'retry-after': String(value) };
}

/**
 * 404s in the protocol's shape: an `OperationOutcome` under the FHIR base, Keycloak's JSON
 * elsewhere.
 */
export function registerNotFound(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    if (isFhir(request)) {
      return reply
        .code(404)
        .type('application/fhir+json')
        .send(
          notFound(
            `Unknown path ${request.method} ${(request.url.split('?')[0] ?? '').slice(0, 200)}`,
          ),
        );
    }
    return sendOAuthError(
      reply,
      new OAuthError('not_found', 'Unable to find matching target resource method', 404),
    );
  });
}
