import type { FastifyRequest } from 'fastify';
import { InvalidRequest } from './errors.js';
import { OAuthParams } from './params.js';

/**
 * The parameters of a back-channel POST, which must be a form (RFC 6749 §3.2) and may repeat no
 * name: JSON or any other body answers `invalid_request`, not a 500 or a silent misread.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.2
 */
export function formParams(request: FastifyRequest): OAuthParams {
  const type = request.headers['content-type'];
  if (
    request.body !== undefined &&
    !type?.toLowerCase().startsWith('application/x-www-form-urlencoded')
  ) {
    throw new InvalidRequest('Content-Type must be application/x-www-form-urlencoded');
  }
  const params = new OAuthParams(request.body);
  if (params.duplicated()) throw new InvalidRequest('duplicated parameter');
  return params;
}
