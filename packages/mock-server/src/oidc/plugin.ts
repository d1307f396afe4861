import type { FastifyInstance, FastifyPluginAsync, RouteHandlerMethod } from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit, { type RateLimitOptions } from '@fastify/rate-limit';
import { allowAnyOrigin } from '../cors.js';
import { IDENTITY_ROUTES, routeOptions, type CorsPolicy } from '../routes.js';
import { authorizeEndpoint } from './authorize.js';
import type { IdentityContext } from './context.js';
import { allowWebOrigins, answerWebOriginsPreflight } from './cors.js';
import { certsEndpoint, discoveryEndpoint } from './discovery.js';
import { answerIdentityError, answerNotFound, OAuthError } from './errors.js';
import { introspectEndpoint } from './introspect.js';
import { authenticateEndpoint, consentEndpoint } from './login-actions.js';
import { logoutEndpoint } from './logout.js';
import {
  backchannelAuthenticationEndpoint,
  deviceAuthorizationEndpoint,
  registrationEndpoint,
} from './not-enabled.js';
import { parEndpoint } from './par.js';
import { revokeEndpoint } from './revoke.js';
import { sessionIframeEndpoint, sessionIframeInitEndpoint } from './session-iframe.js';
import { tokenEndpoint } from './token.js';
import { userinfoEndpoint } from './userinfo.js';
import type { RealmTokenVerifier } from './verifier.js';

/** What the identity plugin needs from the app (registered at `/auth/realms/nextgen`). */
export interface IdentityPluginOptions {
  context: IdentityContext;
  verifier: RealmTokenVerifier;
}

type IdentityRoute = keyof typeof IDENTITY_ROUTES;

function perMinute(max: number): RateLimitOptions | undefined {
  return max > 0 ? { max, timeWindow: 60_000 } : undefined;
}

/**
 * The realm `nextgen`: the routes of {@link IDENTITY_ROUTES}, each wired to its endpoint, with
 * Keycloak's answers for errors (OAuth JSON, or the HTML error page of a browser screen) and for
 * unknown paths.
 */
export const identityPlugin: FastifyPluginAsync<IdentityPluginOptions> = async (
  app,
  { context, verifier },
) => {
  app.setErrorHandler(answerIdentityError);
  app.setNotFoundHandler(answerNotFound);
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, limit) =>
      new OAuthError('temporarily_unavailable', `Too many requests; retry in ${limit.after}`, 429),
  });

  const endpoints: Record<IdentityRoute, RouteHandlerMethod> = {
    discovery: discoveryEndpoint(context),
    certs: certsEndpoint(context),
    authorize: authorizeEndpoint(context),
    authenticate: authenticateEndpoint(context),
    consent: consentEndpoint(context),
    token: tokenEndpoint(context),
    par: parEndpoint(context),
    sessionIframe: sessionIframeEndpoint,
    sessionIframeInit: sessionIframeInitEndpoint(context),
    introspect: introspectEndpoint(context, verifier),
    revoke: revokeEndpoint(context),
    userinfo: userinfoEndpoint(context, verifier),
    logout: logoutEndpoint(context),
    deviceAuthorization: deviceAuthorizationEndpoint(context),
    backchannelAuthentication: backchannelAuthenticationEndpoint(context),
    registration: registrationEndpoint,
  };
  const cors: Record<Exclude<CorsPolicy, 'any-origin'>, (typeof allowAnyOrigin)[]> = {
    none: [],
    public: [allowAnyOrigin],
    'web-origins': [allowWebOrigins(context.clients)],
  };
  const limits = {
    login: perMinute(context.config.rateLimit.loginPerMinute),
    token: perMinute(context.config.rateLimit.tokenPerMinute),
  };
  const mount = (scope: FastifyInstance, name: IdentityRoute) => {
    const spec = IDENTITY_ROUTES[name];
    const limit = 'rateLimit' in spec ? limits[spec.rateLimit] : undefined;
    scope.route({
      ...routeOptions(spec, cors[spec.cors], limit ? { rateLimit: limit } : {}),
      handler: endpoints[name],
    });
    if (spec.cors === 'web-origins') {
      scope.route({
        ...routeOptions(spec, cors[spec.cors]),
        method: 'OPTIONS',
        handler: answerWebOriginsPreflight,
      });
    }
  };

  const names = Object.keys(IDENTITY_ROUTES) as IdentityRoute[];
  const isBrowser = (name: IdentityRoute) => 'browser' in IDENTITY_ROUTES[name];
  for (const name of names.filter((each) => !isBrowser(each))) mount(app, name);
  // Only the screens a browser walks through read or set cookies; the back-channel endpoints and
  // the documents skip the cookie plugin's hooks.
  await app.register(async (browser) => {
    await browser.register(cookie);
    for (const name of names.filter(isBrowser)) mount(browser, name);
  });
};
