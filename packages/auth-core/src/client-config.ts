import type { Client, ClientAuth } from 'oauth4webapi';
import { ClientSecretBasic, None, clockSkew } from 'oauth4webapi';
import { InvalidArgumentError } from './errors.js';
import type { RequestOptions } from './transport.js';
import { now } from './transport.js';

/**
 * A registered client. With `clientSecret` it is confidential and authenticates with HTTP Basic
 * (what NextGen requires); without, it is public and sends `client_id` in the body.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export interface ClientConfig {
  clientId: string;
  clientSecret?: string;
  redirectUri: string;
}

/**
 * The `Authorization` header value of `client_secret_basic`, for callers that build a token,
 * revocation or introspection request by hand (tests of a server's error paths, load generators).
 * The id and secret are form-urlencoded before they are joined, as RFC 6749 requires.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${btoa(`${encode(clientId)}:${encode(clientSecret)}`)}`;
}

/**
 * The client authentication method for `client`: `client_secret_basic` or `none`.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export function clientAuthentication(client: ClientConfig): ClientAuth {
  return client.clientSecret === undefined ? None() : ClientSecretBasic(client.clientSecret);
}

/**
 * The oauth4webapi view of `client`, with its clock skewed to the injected clock so that ID token
 * `exp`/`iat` checks use the caller's time.
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-2
 */
export function toOAuthClient(
  client: ClientConfig,
  options: Pick<RequestOptions, 'clock'>,
): Client {
  if (typeof client.clientId !== 'string' || client.clientId === '') {
    throw new InvalidArgumentError('client.clientId must be a non-empty string.');
  }
  const skew = Math.floor(now(options) / 1000) - Math.floor(Date.now() / 1000);
  return { client_id: client.clientId, [clockSkew]: skew };
}
