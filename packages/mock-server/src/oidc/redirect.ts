import type { IdentityContext } from './context.js';

/**
 * `redirectUri` with `params` appended to its query (its own query kept), for a `response_mode`
 * of `query`; undefined values are skipped.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 */
export function withQuery(
  redirectUri: string,
  params: Readonly<Record<string, string | undefined>>,
): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) url.searchParams.append(name, value);
  }
  return url.href;
}

/**
 * The `iss` of an authorization response: none, as the captured realm (its discovery has no
 * `authorization_response_iss_parameter_supported`); the `authorization-response-iss` quirk sends
 * it, as later Keycloak versions do.
 * @see https://www.rfc-editor.org/rfc/rfc9207#section-2
 */
export function responseIssuer(context: IdentityContext, issuer: string): string | undefined {
  return context.quirks.has('authorization-response-iss') ? issuer : undefined;
}
