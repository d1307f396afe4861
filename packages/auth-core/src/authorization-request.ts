import {
  AuthorizationResponseError,
  generateRandomNonce,
  generateRandomState,
  skipStateCheck,
  validateAuthResponse,
} from 'oauth4webapi';
import type { ClientConfig } from './client-config.js';
import {
  AuthorizationDeniedError,
  CallbackInvalidError,
  InvalidArgumentError,
  IssuerMismatchError,
  StateMismatchError,
} from './errors.js';
import { assertEndpoint } from './oauth-call.js';
import type { Pkce } from './pkce.js';
import { createPkce } from './pkce.js';
import { formatScopes, hasScope, parseScopes } from './scopes.js';
import type { ServerProfile } from './server-profile.js';

/** Input of {@link buildAuthorizationRequest}; `state`, `nonce` and `pkce` are generated if absent. */
export interface AuthorizationRequestInput {
  profile: ServerProfile;
  client: ClientConfig;
  /** Space-delimited, or a list of scope tokens. */
  scope: string | readonly string[];
  state?: string;
  nonce?: string;
  pkce?: Pkce;
  /** OIDC `prompt`, e.g. `login` to force the credentials page. */
  prompt?: string;
  /** More query parameters; they never override the ones this function sets. */
  extraParams?: Readonly<Record<string, string>>;
}

/**
 * An authorization request ready to open, with the secrets the callback and the token exchange
 * need: `state`, `nonce` (only when `openid` was requested) and the PKCE pair.
 */
export interface AuthorizationRequest {
  url: URL;
  state: string;
  nonce?: string;
  pkce: Pkce;
}

/** What a successful callback carries. */
export interface AuthorizationCallback {
  code: string;
  /** Keycloak's `session_state`, a UUID NextGen always sends. */
  sessionState?: string;
  /** The RFC 9207 issuer identifier, when the server sent one. */
  iss?: string;
}

/** What {@link parseCallback} checks the callback against. */
export interface CallbackExpectations {
  state: string;
  /** The profile's issuer: a differing `iss` parameter is rejected (RFC 9207). */
  issuer?: string;
}

/**
 * Builds the authorization code request with PKCE S256 and `aud` set to the FHIR base, as SMART
 * and NextGen require.
 * @see https://hl7.org/fhir/smart-app-launch/app-launch.html#obtain-authorization-code
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.3
 */
export async function buildAuthorizationRequest(
  input: AuthorizationRequestInput,
): Promise<AuthorizationRequest> {
  const { profile, client } = input;
  const url = assertEndpoint(profile.authorizationEndpoint, 'The authorization endpoint');
  assertRedirectUri(client.redirectUri);
  if (typeof client.clientId !== 'string' || client.clientId === '') {
    throw new InvalidArgumentError('client.clientId must be a non-empty string.');
  }
  const scopes = parseScopes(typeof input.scope === 'string' ? input.scope : input.scope.join(' '));
  if (scopes.length === 0) throw new InvalidArgumentError('At least one scope is required.');
  const state = input.state ?? generateRandomState();
  const nonce = hasScope(scopes, 'openid') ? (input.nonce ?? generateRandomNonce()) : undefined;
  const pkce = input.pkce ?? (await createPkce());

  for (const [name, value] of Object.entries(input.extraParams ?? {})) {
    url.searchParams.set(name, value);
  }
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', client.clientId);
  url.searchParams.set('redirect_uri', client.redirectUri);
  url.searchParams.set('scope', formatScopes(scopes));
  url.searchParams.set('state', state);
  if (nonce !== undefined) url.searchParams.set('nonce', nonce);
  url.searchParams.set('code_challenge', pkce.challenge);
  url.searchParams.set('code_challenge_method', pkce.method);
  url.searchParams.set('aud', profile.fhirBaseUrl);
  if (input.prompt !== undefined) url.searchParams.set('prompt', input.prompt);

  return nonce === undefined ? { url, state, pkce } : { url, state, nonce, pkce };
}

/**
 * Checks the redirect back from the authorization server: `iss` (when present), `state`, then an
 * `error`, and returns the code. Throws {@link IssuerMismatchError}, {@link StateMismatchError},
 * {@link AuthorizationDeniedError} or {@link CallbackInvalidError}.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 * @see https://www.rfc-editor.org/rfc/rfc9207#section-2.4
 */
export function parseCallback(
  callbackUrl: string | URL,
  expected: CallbackExpectations,
): AuthorizationCallback {
  if (typeof callbackUrl === 'string' && !URL.canParse(callbackUrl)) {
    throw new CallbackInvalidError('The callback is not a URL.');
  }
  const params = new URL(callbackUrl).searchParams;
  // RFC 6749 §3.1: response parameters MUST NOT be included more than once.
  for (const name of new Set(params.keys())) {
    if (params.getAll(name).length > 1) {
      throw new CallbackInvalidError(`The callback repeats the "${name}" parameter.`);
    }
  }
  const iss = params.get('iss') ?? undefined;
  if (iss !== undefined && expected.issuer !== undefined && iss !== expected.issuer) {
    throw new IssuerMismatchError(expected.issuer, iss);
  }
  const state = params.get('state');
  if (state !== expected.state) {
    throw new StateMismatchError(
      state === null
        ? 'The callback carries no state.'
        : 'The callback state is not the one this client sent.',
    );
  }
  let validated: URLSearchParams;
  try {
    // Issuer and state are checked above with typed errors; oauth4webapi adds the rest (error
    // responses, JARM and implicit/hybrid responses) and needs only an issuer and a client id.
    validated = validateAuthResponse(
      { issuer: iss ?? expected.issuer ?? 'urn:patient-access:issuer-not-checked' },
      { client_id: 'patient-access' },
      params,
      skipStateCheck,
    );
  } catch (error) {
    if (error instanceof AuthorizationResponseError) {
      const uri = error.cause.get('error_uri') ?? undefined;
      throw new AuthorizationDeniedError(
        { error: error.error, error_description: error.error_description, error_uri: uri },
        { cause: error },
      );
    }
    throw new CallbackInvalidError(
      `The callback is malformed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  const code = validated.get('code');
  if (!code) throw new CallbackInvalidError('The callback carries neither a code nor an error.');
  const sessionState = validated.get('session_state') ?? undefined;
  return {
    code,
    ...(sessionState !== undefined ? { sessionState } : {}),
    ...(iss !== undefined ? { iss } : {}),
  };
}

function assertRedirectUri(redirectUri: string): void {
  if (typeof redirectUri !== 'string' || !URL.canParse(redirectUri)) {
    throw new InvalidArgumentError('client.redirectUri must be an absolute URL.');
  }
  // RFC 6749 §3.1.2: the redirection endpoint URI MUST NOT include a fragment component.
  if (new URL(redirectUri).hash !== '') {
    throw new InvalidArgumentError('client.redirectUri must not have a fragment.');
  }
}
