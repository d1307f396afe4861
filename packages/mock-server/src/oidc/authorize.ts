import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import { formatScopes, hasScope, isS256Challenge } from '@patient-access/auth-core';
import { matchesRedirectUri, type Client } from './clients.js';
import { urlsFor, type IdentityContext } from './context.js';
import { ErrorPage, OAuthError } from './errors.js';
import { consumeLaunch } from './launch.js';
import { pushedParams } from './pushed-request.js';
import { responseIssuer } from './redirect.js';
import {
  parseResponseMode,
  sendAuthorizationResponse,
  type ResponseMode,
} from './response-mode.js';
import { knownScopes } from './scope-policy.js';
import { readAuthSessionCookie, readSsoCookie, setAuthSessionCookie } from './sessions/cookies.js';
import { randomToken, type LoginAttempt } from './sessions/store.js';
import { sendLoginPage, sendSelectPage } from './screens.js';
import { OAuthParams } from './params.js';
import type { RealmUrls } from '../urls.js';

const IMPLICIT_RESPONSE_TYPES = new Set([
  'token',
  'id_token',
  'id_token token',
  'code id_token',
  'code token',
  'code id_token token',
]);

/** An authorization error that goes back to the client's validated redirect URI. */
export class RedirectError extends OAuthError {}

/**
 * `GET|POST /protocol/openid-connect/auth`: validates the request in Keycloak's order and with
 * its messages, then shows the login form, or the selection screen when an SSO session exists.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest
 */
export function authorizeEndpoint(context: IdentityContext): RouteHandlerMethod {
  return (request, reply) => authorize(context, request, reply);
}

async function authorize(
  context: IdentityContext,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const raw = request.method === 'GET' ? request.query : request.body;
  let params = new OAuthParams(raw);
  const urls = urlsFor(context, request);
  let clientId: string | undefined;
  let requestUri: string | undefined;
  try {
    clientId = params.get('client_id');
    requestUri = params.get('request_uri');
  } catch {
    throw new ErrorPage('Invalid Request');
  }
  if (clientId === undefined) throw new ErrorPage('Missing parameter: client_id');
  const client = context.clients.get(clientId);
  if (!client) throw new ErrorPage('Client not found.');
  // Keycloak 17 (AuthzEndpointRequestParser): the pushed parameters override the query's, which
  // fill in the rest.
  if (requestUri !== undefined) params = pushedParams(context, client.clientId, requestUri, raw);
  let redirectUri: string | undefined;
  try {
    redirectUri = resolveRedirectUri(client, params);
  } catch {
    throw new ErrorPage('Invalid Request');
  }
  if (redirectUri === undefined) throw new ErrorPage('Invalid parameter: redirect_uri');

  let state: string | undefined;
  // Errors go back in the requested mode when the realm supports it, else in the query.
  let mode: ResponseMode = 'query';
  try {
    state = params.get('state');
    mode = parseResponseMode(params.get('response_mode')) ?? 'query';
    if (!client.grantTypes.has('authorization_code') && params.get('response_type') === 'code') {
      throw new RedirectError(
        'unauthorized_client',
        'Client is not allowed to initiate browser login with given response_type. Standard flow is disabled for the client.',
      );
    }
    const validated = validate(context, params, urls, client.clientId, redirectUri);
    // Consumed last, so a request refused for another reason does not spend it.
    if (validated.launchValue !== undefined) {
      validated.launch = consumeLaunch(context, validated.launchValue);
    }
    const now = context.clock.now();
    const prompts = new Set((params.get('prompt') ?? '').split(' ').filter(Boolean));
    const session = context.store.sessionByCookie(readSsoCookie(request), now);
    if (prompts.has('none')) {
      if (prompts.size > 1) throw new RedirectError('invalid_request', 'Invalid parameter: prompt');
      // The selection screen always follows login, so a silent request can never complete.
      throw session
        ? new RedirectError('interaction_required', 'Interaction required')
        : new RedirectError('login_required', 'Login required');
    }
    const rootSessionId = context.store.rootSession(
      readAuthSessionCookie(request),
      now,
      validated.expiresAt,
    );
    const attempt: LoginAttempt = { ...validated, rootSessionId };
    const launchUser = attempt.launch?.userId;
    if (launchUser !== undefined) {
      attempt.loginHint ??= context.accounts.byUserId(launchUser)?.username;
    }
    context.store.attempts.set(attempt.tabId, attempt);
    setAuthSessionCookie(request, reply, rootSessionId);
    // A launch for another user than the signed-in one asks for that user's password.
    const sessionFits = launchUser === undefined || session?.userId === launchUser;
    if (session && sessionFits && !prompts.has('login') && !tooOld(params, session.authTime, now)) {
      attempt.userId = session.userId;
      attempt.ssoSessionId = session.id;
      return sendSelectPage(context, reply, urls, attempt, undefined);
    }
    return sendLoginPage(context, reply, urls, attempt, { username: attempt.loginHint });
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    return sendAuthorizationResponse(
      context,
      reply,
      { redirectUri, mode, clientId: client.clientId, issuer: urls.issuer },
      {
        error: error.error,
        error_description: error.message || undefined,
        state,
        iss: responseIssuer(context, urls.issuer),
      },
    );
  }
}

/**
 * The client's redirect URI for `params`: the one named if registered; the only registered one
 * when none is named and it has no wildcard, as Keycloak falls back; `undefined` otherwise.
 */
export function resolveRedirectUri(client: Client, params: OAuthParams): string | undefined {
  const named = params.get('redirect_uri');
  const fallback = client.redirectUris.length === 1 ? client.redirectUris[0] : undefined;
  const redirectUri =
    named ?? (fallback !== undefined && !fallback.includes('*') ? fallback : undefined);
  return redirectUri !== undefined && matchesRedirectUri(client.redirectUris, redirectUri)
    ? redirectUri
    : undefined;
}

/** A validated authorization request: the login attempt, with the `launch` value unspent. */
export type ValidatedRequest = Omit<LoginAttempt, 'rootSessionId'> & { launchValue?: string };

/**
 * Checks an authorization request in Keycloak 17's order and words (`AuthorizationEndpointChecker`),
 * throwing an {@link OAuthError} for the client's redirect URI. Spends nothing: the caller
 * consumes the `launch`.
 */
export function validate(
  context: IdentityContext,
  params: OAuthParams,
  urls: RealmUrls,
  clientId: string,
  redirectUri: string,
): ValidatedRequest {
  if (params.duplicated()) throw new RedirectError('invalid_request', 'duplicated parameter');
  const responseType = params.get('response_type');
  if (responseType === undefined) {
    throw new RedirectError('invalid_request', 'Missing parameter: response_type');
  }
  if (responseType !== 'code') {
    // Keycloak 17: a response type it knows but the client is not enabled for is
    // `unauthorized_client` (KEYCLOAK-12019); one it cannot parse is `unsupported_response_type`,
    // without a description.
    throw IMPLICIT_RESPONSE_TYPES.has(responseType)
      ? new RedirectError(
          'unauthorized_client',
          'Client is not allowed to initiate browser login with given response_type. Implicit flow is disabled for the client.',
        )
      : new RedirectError('unsupported_response_type', '');
  }
  const responseMode = parseResponseMode(params.get('response_mode'));
  if (responseMode === undefined) {
    throw new RedirectError('invalid_request', 'Invalid parameter: response_mode');
  }
  const scope = params.get('scope') ?? '';
  const scopes = knownScopes(scope);
  if (scopes === undefined) throw new RedirectError('invalid_scope', `Invalid scopes: ${scope}`);
  // Keycloak's PKCE checks, in its order and words: a client that forgets the method hears about
  // the method first. https://www.rfc-editor.org/rfc/rfc7636#section-4.4.1
  const challenge = params.get('code_challenge');
  const method = params.get('code_challenge_method');
  if (method === undefined) {
    throw new RedirectError('invalid_request', 'Missing parameter: code_challenge_method');
  }
  if (method !== 'S256') {
    throw new RedirectError('invalid_request', 'Invalid parameter: code_challenge_method');
  }
  if (challenge === undefined) {
    throw new RedirectError('invalid_request', 'Missing parameter: code_challenge');
  }
  if (!isS256Challenge(challenge)) {
    throw new RedirectError('invalid_request', 'Invalid parameter: code_challenge');
  }
  // SMART: `aud` names the FHIR server the token is for, so a token cannot be replayed elsewhere.
  // https://hl7.org/fhir/smart-app-launch/app-launch.html#request-4
  const audience = params.get('aud');
  if (audience === undefined) throw new RedirectError('invalid_request', 'Missing parameter: aud');
  if (audience.replace(/\/$/, '') !== urls.fhirBase) {
    throw new RedirectError('invalid_request', 'Invalid parameter: aud');
  }
  const maxAge = params.get('max_age');
  if (maxAge !== undefined && !/^\d{1,9}$/.test(maxAge)) {
    throw new RedirectError('invalid_request', 'Invalid parameter: max_age');
  }
  // SMART EHR launch: the `launch` scope binds the context of the `launch` value; without the
  // scope a `launch` value binds nothing.
  // https://hl7.org/fhir/smart-app-launch/app-launch.html#launch-app-ehr-launch
  const launchValue = params.get('launch');
  const ehrLaunch = hasScope(scopes, 'launch');
  if (ehrLaunch && launchValue === undefined) {
    throw new RedirectError('invalid_request', 'Missing parameter: launch');
  }
  return {
    ...(ehrLaunch && launchValue !== undefined ? { launchValue } : {}),
    tabId: randomUUID().slice(0, 11),
    sessionCode: randomToken(),
    clientId,
    redirectUri,
    scope: formatScopes(scopes),
    state: params.get('state'),
    nonce: params.get('nonce'),
    codeChallenge: challenge,
    issuer: urls.issuer,
    audience: urls.fhirBase,
    loginHint: params.get('login_hint'),
    responseMode,
    wantsEncounter: hasScope(scopes, 'launch/encounter'),
    expiresAt: context.clock.now() + context.config.lifetimes.loginAttempt * 1000,
  };
}

/** `max_age`: a session older than it must authenticate again. */
function tooOld(params: OAuthParams, authTime: number, now: number): boolean {
  const maxAge = params.get('max_age');
  return maxAge !== undefined && now - authTime > Number(maxAge) * 1000;
}
