import type { FastifyReply, FastifyRequest } from 'fastify';

const ALLOWED_METHODS = 'GET, HEAD, POST, OPTIONS';
const ALLOWED_HEADERS = 'Authorization, Accept, Content-Type, Prefer, X-Requested-With';
const EXPOSED_HEADERS = 'Content-Location, Location, ETag, Last-Modified, WWW-Authenticate';

/**
 * CORS for the FHIR routes. The discovery documents are public (`*`); the data routes reflect the
 * caller's origin so browser apps and the extension can send `Authorization`. No cookies are
 * involved, so credentials are never allowed.
 * @see https://fetch.spec.whatwg.org/#http-cors-protocol
 */
export function applyCors(request: FastifyRequest, reply: FastifyReply, isPublic: boolean): void {
  const origin = request.headers.origin;
  if (isPublic) {
    reply.header('access-control-allow-origin', '*');
  } else if (origin !== undefined) {
    reply.header('access-control-allow-origin', origin);
    reply.header('vary', 'Origin');
  } else {
    return;
  }
  reply.header('access-control-expose-headers', EXPOSED_HEADERS);
}

/** Answers a preflight `OPTIONS` with the methods and headers the FHIR routes accept. */
export function answerPreflight(request: FastifyRequest, reply: FastifyReply): void {
  const requested = request.headers['access-control-request-headers'];
  reply
    .header('access-control-allow-methods', ALLOWED_METHODS)
    .header(
      'access-control-allow-headers',
      typeof requested === 'string' && requested !== '' ? requested : ALLOWED_HEADERS,
    )
    .header('access-control-max-age', '600')
    .code(204)
    .send();
}
