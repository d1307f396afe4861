import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { answerJsonError, answerNotFound } from '../oidc/errors.js';

/** A plugin's error handler, as Fastify calls it. */
export type ErrorAnswer = (
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
) => FastifyReply;

/**
 * The app's last resort, for the routes of no protocol (the landing page, the test controls) and
 * paths no plugin serves: the identity and FHIR plugins answer their own errors, so this handler
 * never looks at the URL; it answers in the mock's JSON error shape (Keycloak's), a
 * `server_error` without detail for anything unexpected.
 */
export function registerLastResort(app: FastifyInstance): void {
  app.setErrorHandler(answerJsonError);
  app.setNotFoundHandler(answerNotFound);
}

/**
 * Fastify's `frameworkErrors`: a URL the router refuses before any route is chosen (bad
 * percent-encoding, an over-long path segment), so no plugin's handler is in reach. It goes to the
 * error handler of the plugin mounted at the URL's prefix, `mounts` (the route table's prefixes),
 * with Fastify's 4xx status; the last resort takes the rest.
 */
export function routerErrorHandler(
  mounts: ReadonlyArray<readonly [prefix: string, answer: ErrorAnswer]>,
): (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => void {
  return (error, request, reply) => {
    const refused: FastifyError = Object.assign(
      new Error(
        error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'Path segment too long' : 'Invalid URL',
      ),
      { code: error.code, statusCode: error.statusCode ?? 400 },
    );
    const path = request.url;
    const mount = mounts.find(
      ([prefix]) =>
        path === prefix || path.startsWith(`${prefix}/`) || path.startsWith(`${prefix}?`),
    );
    // The answer sends the reply; Fastify awaits nothing from frameworkErrors, and a FastifyReply
    // is thenable, so returning it read as a promise handed to a void callback.
    void (mount?.[1] ?? answerJsonError)(refused, request, reply);
  };
}
