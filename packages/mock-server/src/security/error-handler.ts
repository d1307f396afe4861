import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { badRequest, timedOut } from '../fhir/outcomes.js';
import { answerJsonError, answerNotFound } from '../oidc/errors.js';
import { NO_SNIFF } from './headers.js';

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
    // No hook runs before the router, so the header every answer carries is set here.
    reply.header(NO_SNIFF.name, NO_SNIFF.value);
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

/** The status and text of a request Node's parser refused before Fastify saw it. */
function clientErrorStatus(code: string | undefined): { status: number; text: string } {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return { status: 408, text: 'The request was not received in time' };
  }
  if (code === 'HPE_HEADER_OVERFLOW') {
    return { status: 431, text: 'Request header fields too large' };
  }
  return { status: 400, text: 'Malformed HTTP request' };
}

const REQUEST_LINE = /^[A-Z]+ (\S+) HTTP\/1\.[01]\r?\n/;

/**
 * The path of the request Node's parser gave up on: from the request line of the bytes it
 * refused, else from the request it was reading the body of (a timed-out upload).
 */
function refusedPath(error: Error & { rawPacket?: unknown }, socket: Duplex): string | undefined {
  if (Buffer.isBuffer(error.rawPacket)) {
    const line = REQUEST_LINE.exec(error.rawPacket.subarray(0, 8192).toString('latin1'));
    if (line) return line[1];
  }
  const pending = (socket as Duplex & { _httpMessage?: { req?: { url?: unknown } } })._httpMessage;
  const url = pending?.req?.url;
  return typeof url === 'string' ? url : undefined;
}

/**
 * Fastify's `clientErrorHandler`: a request Node's HTTP parser refuses (a duplicate
 * `Content-Length`, oversized headers, a body that does not arrive within `requestTimeout`) never
 * reaches a route, so this writes the answer to the socket itself, in the protocol of the path
 * it was meant for: an `OperationOutcome` under the FHIR base, Keycloak's `{error,
 * error_description}` elsewhere; then closes the connection, whose framing is lost.
 */
export function clientErrorHandler(
  fhirPrefix: string,
): (error: Error & { code?: string; rawPacket?: unknown }, socket: Duplex) => void {
  return (error, socket) => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const { status, text } = clientErrorStatus(error.code);
    const path = refusedPath(error, socket);
    const fhir = path !== undefined && (path === fhirPrefix || path.startsWith(`${fhirPrefix}/`));
    const body = fhir
      ? JSON.stringify(status === 408 ? timedOut(text) : badRequest(text))
      : JSON.stringify({
          error: status === 408 ? 'temporarily_unavailable' : 'invalid_request',
          error_description: text,
        });
    const type = fhir ? 'application/fhir+json; charset=utf-8' : 'application/json';
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\nX-Content-Type-Options: ${NO_SNIFF.value}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  };
}
