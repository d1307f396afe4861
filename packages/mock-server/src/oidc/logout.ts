import type { FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import { jwtVerify } from 'jose';
import { matchesRedirectUri } from './clients.js';
import { urlsFor, type IdentityContext } from './context.js';
import { OAuthParams } from './params.js';
import { ErrorPage } from './errors.js';
import { renderLoggedOutPage, renderLogoutConfirmPage } from './pages/message.js';
import { withQuery } from './redirect.js';
import { sameSecret, sha256 } from '../security/constant-time.js';
import { contentSecurityPolicy, sendHtml } from '../security/headers.js';
import { clearSsoCookies, readSsoCookie } from './sessions/cookies.js';

/**
 * `GET|POST /protocol/openid-connect/logout`, RP-initiated: with a valid `id_token_hint` the
 * session ends and the browser goes to the validated `post_logout_redirect_uri` (with `state`);
 * without one, Keycloak asks the user to confirm, so no third-party page can log anyone out.
 * @see https://openid.net/specs/openid-connect-rpinitiated-1_0.html#RPLogout
 */
export function logoutEndpoint(context: IdentityContext): RouteHandlerMethod {
  return (request, reply) => logout(context, request, reply);
}

interface IdTokenClaims {
  aud?: string | string[];
  azp?: string;
  sid?: string;
}

async function logout(
  context: IdentityContext,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const params = new OAuthParams(request.method === 'GET' ? request.query : request.body);
  if (params.duplicated()) throw new ErrorPage('duplicated parameter');
  const urls = urlsFor(context, request);
  const now = context.clock.now();
  const hint = params.get('id_token_hint');
  const redirect = params.get('post_logout_redirect_uri');
  let claims: IdTokenClaims | undefined;
  if (hint !== undefined) {
    try {
      // An expired ID token is still a fine hint (OIDC RP-Initiated Logout §2).
      ({ payload: claims } = await jwtVerify<IdTokenClaims>(
        hint,
        (await context.keys()).publicKey,
        {
          algorithms: ['RS256'],
          issuer: urls.issuer,
          currentDate: new Date(0),
        },
      ));
    } catch {
      throw new ErrorPage('Invalid parameter: id_token_hint');
    }
  }
  // Keycloak's LogoutEndpoint: a client_id must be the client the hint was issued to.
  const requestedClient = params.get('client_id');
  if (claims && requestedClient !== undefined && requestedClient !== (claims.azp ?? claims.aud)) {
    throw new ErrorPage('Invalid parameter: client_id');
  }
  const clientId = requestedClient ?? claims?.azp ?? [claims?.aud].flat()[0];
  if (redirect !== undefined) {
    const client = clientId === undefined ? undefined : context.clients.get(clientId);
    if (!client || !matchesRedirectUri(client.postLogoutRedirectUris, redirect)) {
      throw new ErrorPage('Invalid redirect uri');
    }
  }
  const cookieSession = context.store.sessionByCookie(readSsoCookie(request), now);
  // A hint proves who asks only for its own session: with another session's hint (a link with
  // the attacker's own ID token), the browser's user confirms before their session ends.
  const ownHint = claims !== undefined && claims.sid === cookieSession?.id;
  if (cookieSession && !ownHint) {
    const expected = confirmToken(cookieSession.cookieToken);
    if (!sameSecret(expected, params.get('confirm') ?? '')) {
      // The validated redirect, its client and state ride along, so confirming lands the user
      // back in the app as Keycloak does; the CSP lets the form's post end there.
      return sendHtml(
        reply,
        renderLogoutConfirmPage(urls.endSession, expected, {
          client_id: redirect === undefined ? undefined : clientId,
          post_logout_redirect_uri: redirect,
          state: redirect === undefined ? undefined : params.get('state'),
        }),
        redirect === undefined ? {} : { csp: contentSecurityPolicy(new URL(redirect).origin) },
      );
    }
  }
  // Past the confirmation, the caller's own session ends; without a cookie, the hint's.
  const sessionId = cookieSession?.id ?? claims?.sid;
  if (sessionId !== undefined) context.store.endSession(sessionId);
  clearSsoCookies(request, reply);
  if (redirect !== undefined) {
    return reply.redirect(withQuery(redirect, { state: params.get('state') }), 302);
  }
  return sendHtml(reply, renderLoggedOutPage());
}

/** A per-session token for the confirmation form; only the browser holding the cookie knows it. */
function confirmToken(cookieToken: string): string {
  return sha256(`logout:${cookieToken}`).toString('base64url');
}
