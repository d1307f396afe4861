import type { FastifyPluginAsync } from 'fastify';
import cookie from '@fastify/cookie';
import type { RateLimitOptions } from '@fastify/rate-limit';
import { registerAuthorize } from './authorize.js';
import type { IdentityContext } from './context.js';
import { registerCors } from './cors.js';
import { registerCerts, registerDiscovery } from './discovery.js';
import { registerIntrospect } from './introspect.js';
import { registerLoginActions } from './login-actions.js';
import { registerLogout } from './logout.js';
import { registerRevoke } from './revoke.js';
import { registerToken } from './token.js';
import { registerUserinfo } from './userinfo.js';
import type { RealmTokenVerifier } from './verifier.js';

/** What the identity plugin needs from the app (registered at `/auth/realms/nextgen`). */
export interface IdentityPluginOptions {
  context: IdentityContext;
  verifier: RealmTokenVerifier;
}

function perMinute(max: number): RateLimitOptions | false {
  return max > 0 ? { max, timeWindow: 60_000 } : false;
}

/** The route table of the `nextgen` realm, with Keycloak's paths. */
export const identityPlugin: FastifyPluginAsync<IdentityPluginOptions> = async (
  app,
  { context, verifier },
) => {
  const { rateLimit } = context.config;
  registerCors(app, context.clients);
  registerDiscovery(app, context);
  registerCerts(app, context);
  registerToken(app, context, perMinute(rateLimit.tokenPerMinute));
  registerRevoke(app, context);
  registerIntrospect(app, context, verifier);
  registerUserinfo(app, context, verifier);
  // Only the screens a browser walks through read or set cookies; the back-channel endpoints,
  // the documents and the FHIR routes skip the cookie plugin's hooks.
  await app.register(async (browser) => {
    await browser.register(cookie);
    registerAuthorize(browser, context);
    registerLoginActions(browser, context, perMinute(rateLimit.loginPerMinute));
    registerLogout(browser, context);
  });
};
