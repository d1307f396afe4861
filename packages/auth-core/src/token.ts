import {
  authorizationCodeGrantRequest,
  introspectionRequest,
  processAuthorizationCodeResponse,
  processGenericTokenEndpointResponse,
  processIntrospectionResponse,
  processRefreshTokenResponse,
  processRevocationResponse,
  processUserInfoResponse,
  refreshTokenGrantRequest,
  revocationRequest,
  skipStateCheck,
  skipSubjectCheck,
  userInfoRequest,
  validateAuthResponse,
} from 'oauth4webapi';
import type { ClientConfig } from './client-config.js';
import { clientAuthentication, toOAuthClient } from './client-config.js';
import { InvalidArgumentError, ProfileError } from './errors.js';
import { oauthCall } from './oauth-call.js';
import { assertPkceVerifier } from './pkce.js';
import type { ServerProfile } from './server-profile.js';
import { toAuthorizationServer } from './server-profile.js';
import type { SmartTokenSet } from './token-response.js';
import { parseTokenResponse } from './token-response.js';
import type { RequestOptions } from './transport.js';
import { now } from './transport.js';

/** The server and client every token endpoint call needs, plus the network options. */
export interface TokenEndpointInput extends RequestOptions {
  profile: ServerProfile;
  client: ClientConfig;
}

/** Input of {@link exchangeCode}. */
export interface ExchangeCodeInput extends TokenEndpointInput {
  code: string;
  codeVerifier: string;
  /** The authorization request's nonce: when given, the ID token must carry it. */
  nonce?: string;
}

/** Input of {@link refreshTokens}. */
export interface RefreshTokensInput extends TokenEndpointInput {
  refreshToken: string;
  /** A narrower scope than the one granted (RFC 6749 §6). */
  scope?: string;
}

/** Input of {@link revokeToken}. */
export interface RevokeTokenInput extends TokenEndpointInput {
  token: string;
  tokenTypeHint?: 'access_token' | 'refresh_token';
}

/** Input of {@link introspectToken}. */
export interface IntrospectTokenInput extends TokenEndpointInput {
  token: string;
}

/** Input of {@link fetchUserInfo}. */
export interface UserInfoInput extends RequestOptions {
  profile: ServerProfile;
  accessToken: string;
  /** The client, when known; used to check a signed (JWT) userinfo response's `aud`. */
  client?: ClientConfig;
  /** The ID token's `sub`: when given, the userinfo `sub` must equal it (OIDC Core §5.3.2). */
  expectedSubject?: string;
}

/**
 * The introspection endpoint's answer, with the RFC's member names; servers add their own claims.
 * @see https://www.rfc-editor.org/rfc/rfc7662#section-2.2
 */
export interface TokenIntrospection {
  readonly active: boolean;
  readonly scope?: string;
  readonly client_id?: string;
  readonly username?: string;
  readonly token_type?: string;
  readonly exp?: number;
  readonly iat?: number;
  readonly nbf?: number;
  readonly sub?: string;
  readonly aud?: string | string[];
  readonly iss?: string;
  readonly jti?: string;
  readonly [claim: string]: unknown;
}

/**
 * The userinfo endpoint's claims: `sub` always, `fhirUser` on SMART servers, profile claims when
 * the scope asked for them.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#UserInfoResponse
 */
export interface UserInfo {
  readonly sub: string;
  readonly fhirUser?: string;
  readonly name?: string;
  readonly given_name?: string;
  readonly family_name?: string;
  readonly email?: string;
  readonly [claim: string]: unknown;
}

/**
 * Exchanges an authorization code for tokens (form POST, Basic auth for confidential clients,
 * `client_id` in the body for public ones, the PKCE verifier). ID token claims are checked
 * (`iss`, `aud`, `exp`, and `nonce` when given); its signature is trusted from TLS as OIDC Core
 * §3.1.3.7 allows, or checked with {@link verifyIdToken}.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 * @see https://hl7.org/fhir/smart-app-launch/app-launch.html#obtain-access-token
 */
export async function exchangeCode(input: ExchangeCodeInput): Promise<SmartTokenSet> {
  const { profile, client, code, codeVerifier, nonce } = input;
  requireText(code, 'code');
  assertPkceVerifier(codeVerifier);
  const as = toAuthorizationServer(profile);
  const oauthClient = toOAuthClient(client, input);
  return oauthCall(input, profile.tokenEndpoint, 'The token endpoint', async (http) => {
    // authorizationCodeGrantRequest only takes parameters that passed validateAuthResponse.
    const params = validateAuthResponse(
      as,
      oauthClient,
      new URLSearchParams({ code }),
      skipStateCheck,
    );
    const response = await authorizationCodeGrantRequest(
      as,
      oauthClient,
      clientAuthentication(client),
      params,
      client.redirectUri,
      codeVerifier,
      http,
    );
    const pristine = response.clone();
    if (nonce === undefined) {
      await processGenericTokenEndpointResponse(as, oauthClient, response);
    } else {
      await processAuthorizationCodeResponse(as, oauthClient, response, { expectedNonce: nonce });
    }
    return parseTokenResponse(await pristine.json(), { now: now(input) });
  });
}

/**
 * Trades a refresh token for new tokens. With rotation the response carries a new refresh token;
 * {@link TokenSession} keeps the old one when it does not.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 * @see https://hl7.org/fhir/smart-app-launch/app-launch.html#step-6-app-uses-a-refresh-token-to-obtain-a-new-access-token
 */
export async function refreshTokens(input: RefreshTokensInput): Promise<SmartTokenSet> {
  const { profile, client, refreshToken, scope } = input;
  requireText(refreshToken, 'refreshToken');
  const as = toAuthorizationServer(profile);
  const oauthClient = toOAuthClient(client, input);
  return oauthCall(input, profile.tokenEndpoint, 'The token endpoint', async (http) => {
    const response = await refreshTokenGrantRequest(
      as,
      oauthClient,
      clientAuthentication(client),
      refreshToken,
      { ...http, ...(scope === undefined ? {} : { additionalParameters: { scope } }) },
    );
    const pristine = response.clone();
    await processRefreshTokenResponse(as, oauthClient, response);
    return parseTokenResponse(await pristine.json(), { now: now(input) });
  });
}

/**
 * Revokes an access or refresh token; revoking Keycloak's refresh token ends the whole session.
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2
 */
export async function revokeToken(input: RevokeTokenInput): Promise<void> {
  const { profile, client, token, tokenTypeHint } = input;
  requireText(token, 'token');
  const endpoint = profile.revocationEndpoint;
  if (endpoint === undefined) throw new ProfileError(`${profile.name} has no revocation endpoint.`);
  const as = toAuthorizationServer(profile);
  const oauthClient = toOAuthClient(client, input);
  await oauthCall(input, endpoint, 'The revocation endpoint', async (http) => {
    const response = await revocationRequest(as, oauthClient, clientAuthentication(client), token, {
      ...http,
      ...(tokenTypeHint === undefined
        ? {}
        : { additionalParameters: { token_type_hint: tokenTypeHint } }),
    });
    await processRevocationResponse(response);
  });
}

/**
 * Asks the server whether a token is active and what it grants.
 * @see https://www.rfc-editor.org/rfc/rfc7662#section-2
 */
export async function introspectToken(input: IntrospectTokenInput): Promise<TokenIntrospection> {
  const { profile, client, token } = input;
  requireText(token, 'token');
  const endpoint = profile.introspectionEndpoint;
  if (endpoint === undefined) {
    throw new ProfileError(`${profile.name} has no introspection endpoint.`);
  }
  const as = toAuthorizationServer(profile);
  const oauthClient = toOAuthClient(client, input);
  return oauthCall(input, endpoint, 'The introspection endpoint', async (http) => {
    const response = await introspectionRequest(
      as,
      oauthClient,
      clientAuthentication(client),
      token,
      http,
    );
    return processIntrospectionResponse(as, oauthClient, response);
  });
}

/**
 * Reads the OpenID Connect userinfo claims of the signed-in user.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#UserInfo
 */
export async function fetchUserInfo(input: UserInfoInput): Promise<UserInfo> {
  const { profile, accessToken, client, expectedSubject } = input;
  requireText(accessToken, 'accessToken');
  const endpoint = profile.userinfoEndpoint;
  if (endpoint === undefined) throw new ProfileError(`${profile.name} has no userinfo endpoint.`);
  const as = toAuthorizationServer(profile);
  // oauth4webapi reads the client only to check a JWT userinfo's `aud`; plain JSON needs none.
  const oauthClient = toOAuthClient(
    client ?? { clientId: 'patient-access', redirectUri: 'urn:ietf:wg:oauth:2.0:oob' },
    input,
  );
  return oauthCall(input, endpoint, 'The userinfo endpoint', async (http) => {
    const response = await userInfoRequest(as, oauthClient, accessToken, http);
    return processUserInfoResponse(as, oauthClient, expectedSubject ?? skipSubjectCheck, response);
  });
}

function requireText(value: unknown, name: string): void {
  if (typeof value !== 'string' || value === '') {
    throw new InvalidArgumentError(`${name} must be a non-empty string.`);
  }
}
