import {
  basicAuthorization,
  type ClientConfig,
  type ServerProfile,
} from '@patient-access/auth-core';

/** A token endpoint answer, parsed as far as the suite needs. */
export interface RawTokenResponse {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/**
 * A token request the auth core would refuse to send (no `code_verifier`, an unknown grant):
 * the suite's way to see what the server does with a broken client.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 */
export async function rawTokenRequest(
  profile: ServerProfile,
  client: ClientConfig,
  params: Record<string, string>,
  fetchImpl: typeof fetch = fetch,
): Promise<RawTokenResponse> {
  const headers = new Headers({
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  });
  const body = new URLSearchParams(params);
  if (client.clientSecret === undefined) body.set('client_id', client.clientId);
  else headers.set('authorization', basicAuthorization(client.clientId, client.clientSecret));
  const response = await fetchImpl(profile.tokenEndpoint, { method: 'POST', headers, body });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = { unparsed: text.slice(0, 200) };
  }
  return {
    status: response.status,
    headers: response.headers,
    body: parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {},
  };
}
