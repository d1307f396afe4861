import type { FastifyReply, FastifyRequest } from 'fastify';
import { REALM, REALM_PATH } from '../../routes.js';
import type { SsoSession } from './store.js';

/** Keycloak's SSO cookie: the browser's key to its session. */
export const IDENTITY_COOKIE = 'KEYCLOAK_IDENTITY';
/** Keycloak's session cookie (`realm/user/session`). */
export const SESSION_COOKIE = 'KEYCLOAK_SESSION';
/** Keycloak's authentication session cookie: binds the login screens to the browser that opened them. */
export const AUTH_SESSION_COOKIE = 'AUTH_SESSION_ID';

/** The `KEYCLOAK_IDENTITY` value of the request, if any. */
export function readSsoCookie(request: FastifyRequest): string | undefined {
  return request.cookies[IDENTITY_COOKIE];
}

/**
 * HttpOnly (but for KEYCLOAK_SESSION) and scoped to the realm's path. Over HTTPS
 * `SameSite=None; Secure`, as Keycloak sets them; over plain-HTTP loopback `Lax`, since browsers
 * drop `None` without `Secure` and the flow only needs top-level navigations.
 */
function cookieOptions(request: FastifyRequest, maxAgeSeconds?: number) {
  const secure = request.protocol === 'https';
  return {
    path: `${REALM_PATH}/`,
    httpOnly: true,
    secure,
    sameSite: secure ? ('none' as const) : ('lax' as const),
    ...(maxAgeSeconds === undefined ? {} : { maxAge: maxAgeSeconds }),
  };
}

/** The `AUTH_SESSION_ID` value of the request, if any. */
export function readAuthSessionCookie(request: FastifyRequest): string | undefined {
  return request.cookies[AUTH_SESSION_COOKIE];
}

/** Sets `AUTH_SESSION_ID` as a browser-session cookie (no `Max-Age`), as Keycloak does. */
export function setAuthSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  rootSessionId: string,
): void {
  reply.setCookie(AUTH_SESSION_COOKIE, rootSessionId, cookieOptions(request));
}

/** Sets the SSO cookies of `session`. */
export function setSsoCookies(
  request: FastifyRequest,
  reply: FastifyReply,
  session: SsoSession,
  now: number,
): void {
  const options = cookieOptions(request, Math.max(0, Math.floor((session.expiresAt - now) / 1000)));
  reply.setCookie(IDENTITY_COOKIE, session.cookieToken, options);
  // Keycloak 17 sets KEYCLOAK_SESSION without HttpOnly: the check_session_iframe's script reads
  // the session id in it. It names the session, it does not open it (KEYCLOAK_IDENTITY does).
  // Its slashes stay raw, as Keycloak writes them (cookie-octets allow `/`): the script splits on
  // them, and the cookie plugin would percent-encode them.
  reply.setCookie(SESSION_COOKIE, `${REALM}/${session.userId}/${session.id}`, {
    ...options,
    httpOnly: false,
    encode: (value: string) => value,
  });
}

/** Expires both SSO cookies. */
export function clearSsoCookies(request: FastifyRequest, reply: FastifyReply): void {
  const options = cookieOptions(request, 0);
  reply.clearCookie(IDENTITY_COOKIE, options);
  reply.clearCookie(SESSION_COOKIE, options);
}
