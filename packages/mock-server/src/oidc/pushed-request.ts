import type { IdentityContext } from './context.js';
import { ErrorPage } from './errors.js';
import { OAuthParams, type RawParams } from './params.js';

/** Keycloak's prefix of the `request_uri` values it issues. */
export const REQUEST_URI_PREFIX = 'urn:ietf:params:oauth:request_uri:';

/**
 * The parameters of an authorization request that names a `request_uri`: the pushed ones over
 * the request's own. A `request_uri` that was not pushed by this client, has expired or was used
 * (it is spent by this lookup) answers Keycloak's "Invalid Request" page, as does any other
 * `request_uri` (no client of the realm registers `request_uris`).
 * @see https://www.rfc-editor.org/rfc/rfc9126#section-4
 */
export function pushedParams(
  context: IdentityContext,
  clientId: string,
  requestUri: string,
  raw: unknown,
): OAuthParams {
  if (!requestUri.toLowerCase().startsWith(REQUEST_URI_PREFIX)) {
    throw new ErrorPage('Invalid Request');
  }
  const key = requestUri.slice(REQUEST_URI_PREFIX.length);
  const pushed = context.store.pushedRequests.get(key);
  context.store.pushedRequests.delete(key);
  if (!pushed || pushed.expiresAt <= context.clock.now() || pushed.clientId !== clientId) {
    throw new ErrorPage('Invalid Request');
  }
  const own: RawParams = raw !== null && typeof raw === 'object' ? (raw as RawParams) : {};
  const merged: Record<string, unknown> = { ...own, client_id: clientId };
  delete merged.request_uri;
  for (const [name, value] of pushed.params) merged[name] = value;
  return new OAuthParams(merged);
}
