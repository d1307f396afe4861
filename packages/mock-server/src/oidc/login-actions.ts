import type { FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import { formatScopes, parseScopes } from '@patient-access/auth-core';
import { sameSecret } from '../security/constant-time.js';
import { urlsFor, type IdentityContext } from './context.js';
import { ErrorPage } from './errors.js';
import { responseIssuer } from './redirect.js';
import { sendAuthorizationResponse, type AuthorizationResponseTarget } from './response-mode.js';
import { selectablePatients } from './accounts.js';
import { LAUNCH_NOT_ALLOWED, mayUseLaunch, sendLoginPage, sendSelectPage } from './screens.js';
import { readAuthSessionCookie, readSsoCookie, setSsoCookies } from './sessions/cookies.js';
import { randomToken, type LoginAttempt } from './sessions/store.js';

/** Keycloak's messages on the login form. */
export const LOGIN_MESSAGES = {
  invalidCredentials: 'Invalid username or password.',
  expired: 'Your login attempt timed out. Login will start from the beginning.',
  choosePatient: 'Choose one of the listed patients.',
  chooseEncounter: 'Choose one of the listed encounters.',
  cookieNotFound: 'Cookie not found. Please make sure cookies are enabled in your browser.',
} as const;

// Never a password: compared against when the username is unknown, for equal timing.
const UNKNOWN_USER_PASSWORD = randomToken();

interface ActionQuery {
  session_code?: unknown;
  tab_id?: unknown;
}

/**
 * `POST /login-actions/authenticate`: the login form's action, keyed by `tab_id`, accepted only
 * from the browser whose `AUTH_SESSION_ID` cookie started the attempt, and guarded by the
 * one-time `session_code` of the form that was rendered.
 */
export function authenticateEndpoint(context: IdentityContext): RouteHandlerMethod {
  return (request, reply) => authenticate(context, request, reply);
}

/** `POST /login-actions/consent`: the selection screen's action, guarded as the login form's. */
export function consentEndpoint(context: IdentityContext): RouteHandlerMethod {
  return (request, reply) => consent(context, request, reply);
}

const responseTarget = (attempt: LoginAttempt): AuthorizationResponseTarget => ({
  redirectUri: attempt.redirectUri,
  mode: attempt.responseMode,
  clientId: attempt.clientId,
  issuer: attempt.issuer,
});

function findAttempt(context: IdentityContext, request: FastifyRequest): LoginAttempt | undefined {
  const { tab_id: tabId } = request.query as ActionQuery;
  const attempt = typeof tabId === 'string' ? context.store.attempts.get(tabId) : undefined;
  return attempt && attempt.expiresAt > context.clock.now() ? attempt : undefined;
}

/**
 * Keycloak refuses a login action from a browser without the attempt's `AUTH_SESSION_ID`, which
 * defeats login CSRF: a forged form post from another site reaches the victim's browser without
 * the attacker's cookie.
 */
function fromStartingBrowser(request: FastifyRequest, attempt: LoginAttempt): boolean {
  return sameSecret(attempt.rootSessionId, readAuthSessionCookie(request) ?? '');
}

/**
 * Keycloak's "Cookie not found" page. Keycloak answers it with 400, but here with 200:
 * `chrome.identity.launchWebAuthFlow` closes the auth window with "Authorization page could not
 * be loaded" on any non-2xx page, and the patient must be able to read why the login failed.
 */
const cookieNotFound = () => new ErrorPage(LOGIN_MESSAGES.cookieNotFound, 200);

const expired = () => new ErrorPage(LOGIN_MESSAGES.expired);

function field(body: unknown, name: string): string | undefined {
  const value =
    body !== null && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value : undefined;
}

async function authenticate(
  context: IdentityContext,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  // Keycloak finds the login attempt through the browser's cookie before it looks at the tab.
  if (readAuthSessionCookie(request) === undefined) throw cookieNotFound();
  const attempt = findAttempt(context, request);
  if (!attempt) throw expired();
  if (!fromStartingBrowser(request, attempt)) throw cookieNotFound();
  const urls = urlsFor(context, request);
  const { session_code: sessionCode } = request.query as ActionQuery;
  if (sessionCode !== attempt.sessionCode) {
    return sendLoginPage(context, reply, urls, attempt, { error: LOGIN_MESSAGES.expired });
  }
  const username = field(request.body, 'username') ?? '';
  const password = field(request.body, 'password') ?? '';
  const now = context.clock.now();
  const account = context.accounts.byLogin(username);
  // Compared whatever the account or lockout, so a locked or unknown name costs the same time as
  // a wrong password (Keycloak hashes a dummy password for unknown users for the same reason).
  const matches = sameSecret(account?.password ?? UNKNOWN_USER_PASSWORD, password);
  const locked = account !== undefined && context.bruteForce.isLocked(account.username, now);
  if (!account || locked || !matches) {
    if (account && !locked) context.bruteForce.recordFailure(account.username, now);
    // Stock Keycloak answers a locked account exactly as a wrong password or an unknown user
    // (its realm option "transparent user message" is off by default), so the lockout tells an
    // attacker nothing about which usernames exist.
    return sendLoginPage(context, reply, urls, attempt, {
      username,
      error: LOGIN_MESSAGES.invalidCredentials,
    });
  }
  context.bruteForce.recordSuccess(account.username);
  const current = context.store.sessionByCookie(readSsoCookie(request), now);
  const session =
    current?.userId === account.userId
      ? current
      : context.store.createSession(
          account.userId,
          now,
          context.config.lifetimes.ssoSession * 1000,
        );
  session.authTime = now;
  setSsoCookies(request, reply, session, now);
  attempt.userId = account.userId;
  attempt.ssoSessionId = session.id;
  return sendSelectPage(context, reply, urls, attempt, undefined);
}

async function consent(
  context: IdentityContext,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  if (readAuthSessionCookie(request) === undefined) throw cookieNotFound();
  const attempt = findAttempt(context, request);
  if (!attempt) throw expired();
  if (!fromStartingBrowser(request, attempt)) throw cookieNotFound();
  const now = context.clock.now();
  const session = attempt.ssoSessionId
    ? context.store.liveSession(attempt.ssoSessionId, now)
    : undefined;
  const { session_code: sessionCode } = request.query as ActionQuery;
  if (!session || sessionCode !== attempt.sessionCode) throw expired();
  const urls = urlsFor(context, request);
  const account = context.accounts.byUserId(session.userId);
  if (!account) throw expired();

  if (field(request.body, 'cancel') !== undefined) {
    context.store.attempts.delete(attempt.tabId);
    return sendAuthorizationResponse(context, reply, responseTarget(attempt), {
      error: 'access_denied',
      error_description: 'The patient denied the request',
      state: attempt.state,
      iss: responseIssuer(context, attempt.issuer),
    });
  }
  const { launch } = attempt;
  if (!mayUseLaunch(account, attempt)) {
    return sendSelectPage(context, reply, urls, attempt, LAUNCH_NOT_ALLOWED);
  }
  const patient = launch?.patient ?? field(request.body, 'patient');
  if (patient === undefined || !selectablePatients(account).includes(patient)) {
    return sendSelectPage(context, reply, urls, attempt, LOGIN_MESSAGES.choosePatient);
  }
  let encounter = launch?.encounter;
  if (encounter === undefined && attempt.wantsEncounter) {
    const offered = context.accounts.encounters(patient);
    encounter = field(request.body, `encounter-${patient}`);
    // A patient without encounters is shared without the context; otherwise one must be chosen.
    if (offered.length > 0 && !offered.some((each) => each.id === encounter)) {
      return sendSelectPage(context, reply, urls, attempt, LOGIN_MESSAGES.chooseEncounter);
    }
  }
  // Unchecked permissions are withheld; anything not requested is ignored (a scope never grows).
  const body = request.body as Record<string, unknown> | undefined;
  const checked = new Set([body?.scope].flat().filter((value) => typeof value === 'string'));
  const granted = parseScopes(attempt.scope).filter(
    (scope) => scope.kind === 'named' || checked.has(scope.raw),
  );

  const code = randomToken();
  context.store.codes.set(code, {
    clientId: attempt.clientId,
    redirectUri: attempt.redirectUri,
    scope: formatScopes(granted),
    patient,
    encounter,
    launchKind: launch ? 'EHR' : 'STANDALONE',
    userId: account.userId,
    ssoSessionId: session.id,
    nonce: attempt.nonce,
    codeChallenge: attempt.codeChallenge,
    audience: attempt.audience,
    authTime: session.authTime,
    expiresAt: now + context.config.lifetimes.code * 1000,
    used: false,
  });
  context.store.attempts.delete(attempt.tabId);
  // Keycloak's order: state, session_state, iss, code.
  // https://www.rfc-editor.org/rfc/rfc9207#section-2
  return sendAuthorizationResponse(context, reply, responseTarget(attempt), {
    state: attempt.state,
    session_state: session.id,
    iss: responseIssuer(context, attempt.issuer),
    code,
  });
}
