import type { onRequestHookHandler, RouteHandlerMethod } from 'fastify';

const ALLOWED_METHODS = 'GET, HEAD, POST, OPTIONS';
const ALLOWED_HEADERS = 'Authorization, Accept, Content-Type, Prefer, X-Requested-With';
const EXPOSED_HEADERS = 'Content-Location, Location, ETag, Last-Modified, WWW-Authenticate';

// CORS for the FHIR routes. No cookies are involved, so credentials are never allowed.
// https://fetch.spec.whatwg.org/#http-cors-protocol

/** The route table's `public` policy on the FHIR side: any origin, HAPI's headers exposed. */
export const allowAnyOriginExposing: onRequestHookHandler = (_request, reply, done) => {
  reply
    .header('access-control-allow-origin', '*')
    .header('access-control-expose-headers', EXPOSED_HEADERS);
  done();
};

/**
 * The route table's `any-origin` policy: the caller's origin is reflected, so browser apps and
 * the extension can send `Authorization`.
 */
export const reflectOrigin: onRequestHookHandler = (request, reply, done) => {
  const origin = request.headers.origin;
  if (origin !== undefined) {
    reply
      .header('access-control-allow-origin', origin)
      .header('vary', 'Origin')
      .header('access-control-expose-headers', EXPOSED_HEADERS);
  }
  done();
};

/** Answers a preflight `OPTIONS` with the methods and headers the FHIR routes accept. */
export const answerPreflight: RouteHandlerMethod = (request, reply) => {
  const requested = request.headers['access-control-request-headers'];
  return reply
    .header('access-control-allow-methods', ALLOWED_METHODS)
    .header(
      'access-control-allow-headers',
      typeof requested === 'string' && requested !== '' ? requested : ALLOWED_HEADERS,
    )
    .header('access-control-max-age', '600')
    .code(204)
    .send();
};
