import { REALM } from './routes.js';

/** The `error` of a Bearer challenge. */
export type BearerError = 'invalid_token' | 'insufficient_scope';

/**
 * The `WWW-Authenticate` challenge of a refused bearer token: no error attribute when the
 * request carried no token, the error and its description otherwise (quotes and backslashes
 * dropped, which a quoted-string would have to escape).
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
export function bearerChallenge(error?: { code: BearerError; description: string }): string {
  if (!error) return `Bearer realm="${REALM}"`;
  const description = error.description.replace(/["\\]/g, '');
  return `Bearer realm="${REALM}", error="${error.code}", error_description="${description}"`;
}

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * The token of an `Authorization: Bearer <token>` header; `undefined` for no header, another
 * scheme or a value outside the b64token syntax.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 */
export function bearerToken(header: string | undefined): string | undefined {
  return header === undefined ? undefined : BEARER.exec(header)?.[1];
}
