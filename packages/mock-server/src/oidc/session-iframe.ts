import type { RouteHandlerMethod } from 'fastify';
import { scriptHash, sendHtml } from '../security/headers.js';
import { OAuthParams } from './params.js';
import type { IdentityContext } from './context.js';
import { clientAllowsOrigin } from './cors.js';
import { urlsFor } from './context.js';

// Keycloak 17's login-status-iframe.html script (themes/…/login-status-iframe.html), in its
// behaviour: a relying party posts "<client_id> <session_state>"; the page asks `init` once
// whether the client allows the poster's origin, then compares the session id in the
// KEYCLOAK_SESSION cookie (realm/user/session) with the session_state and answers "unchanged",
// "changed" or "error".
const SCRIPT = `var init;
function getCookieByName(name) {
  name = name + '=';
  var ca = document.cookie.split(';');
  for (var i = 0; i < ca.length; i++) {
    var c = ca[i].trim();
    if (c.indexOf(name) === 0) return c.substring(name.length, c.length);
  }
  return null;
}
function getCookie() {
  var cookie = getCookieByName('KEYCLOAK_SESSION');
  return cookie === null ? getCookieByName('KEYCLOAK_SESSION_LEGACY') : cookie;
}
function checkState(clientId, origin, sessionState, callback) {
  var cookie = getCookie();
  var checkCookie = function () {
    if (clientId === init.clientId && origin === init.origin) {
      var c = cookie.split('/');
      callback(sessionState === c[2] ? 'unchanged' : 'changed');
    } else {
      callback('error');
    }
  };
  var noCookie = function () {
    callback(sessionState != undefined ? 'changed' : 'unchanged');
  };
  if (!init) {
    var req = new XMLHttpRequest();
    var url = location.href.split('?')[0] + '/init';
    url += '?client_id=' + encodeURIComponent(clientId);
    url += '&origin=' + encodeURIComponent(origin);
    req.open('GET', url, true);
    req.onreadystatechange = function () {
      if (req.readyState === 4) {
        if (req.status === 204 || req.status === 1223) {
          init = { clientId: clientId, origin: origin };
          if (!cookie) noCookie(); else checkCookie();
        } else {
          callback('error');
        }
      }
    };
    req.send();
  } else if (!cookie) {
    noCookie();
  } else {
    checkCookie();
  }
}
function receiveMessage(event) {
  if (typeof event.data !== 'string') return;
  var data = event.data.split(' ');
  if (data.length != 2) return;
  checkState(data[0], event.origin, data[1], function (result) {
    event.source.postMessage(result, event.origin);
  });
}
window.addEventListener('message', receiveMessage, false);`;

const PAGE = `<!DOCTYPE html>
<html>
<head><title>Keycloak login status</title><script>${SCRIPT}</script></head>
<body></body>
</html>
`;

// Framed by any relying party (the `init` check decides which may use it); it may call only
// its own origin, and runs only its own script.
const CSP = `default-src 'none'; script-src ${scriptHash(SCRIPT)}; connect-src 'self'; frame-ancestors *; base-uri 'none'`;

/**
 * `GET /protocol/openid-connect/login-status-iframe.html`, the discovery's
 * `check_session_iframe`: Keycloak 17's page. Keycloak serves it `no-cache` without a `version`
 * and answers 404 for a `version` other than its resources' (the mock has none to match).
 * @see https://openid.net/specs/openid-connect-session-1_0.html#OPiframe
 */
export const sessionIframeEndpoint: RouteHandlerMethod = async (request, reply) => {
  const params = new OAuthParams(request.query);
  let version: string | undefined;
  try {
    version = params.get('version');
  } catch {
    version = '';
  }
  if (version !== undefined) return reply.code(404).send();
  return sendHtml(reply.header('cache-control', 'no-cache'), PAGE, { csp: CSP, noStore: false });
};

/**
 * `GET …/login-status-iframe.html/init?client_id=&origin=`: Keycloak 17's
 * `LoginStatusIframeEndpoint.preCheck`. 204 when the client exists and `origin` is one of its web
 * origins or the realm's own; 403 with no body otherwise, whatever went wrong.
 */
export function sessionIframeInitEndpoint(context: IdentityContext): RouteHandlerMethod {
  return async (request, reply) => {
    try {
      const params = new OAuthParams(request.query);
      const clientId = params.get('client_id');
      const origin = params.get('origin');
      const client = clientId === undefined ? undefined : context.clients.get(clientId);
      const own = new URL(urlsFor(context, request).issuer).origin;
      if (
        client &&
        origin !== undefined &&
        (origin === own || clientAllowsOrigin(client, origin))
      ) {
        return reply.code(204).send();
      }
    } catch {
      // Keycloak answers any failure of the check as a refusal.
    }
    return reply.code(403).send();
  };
}
