import type { FastifyPluginAsync, onRequestHookHandler } from 'fastify';
import { LATEST_INSTANT_MS, type AdjustableClock } from '../clock.js';
import { urlsFor, type IdentityContext } from '../oidc/context.js';
import { createLaunch, LAUNCH_BODY, type LaunchRequest } from '../oidc/launch.js';
import type { RealmTokenVerifier } from '../oidc/verifier.js';
import type { Fault, FaultRegistry } from '../faults.js';
import { clientMetadata, registrationFromMetadata } from '../oidc/client-metadata.js';
import { OAuthError } from '../oidc/errors.js';
import { publicOrigin } from '../origin.js';
import { ADMIN_PATH, ADMIN_ROUTES, FAULT_ROUTES, routeOptions } from '../routes.js';

/** What the test-control plugin (at `/__admin`) acts on. */
export interface AdminPluginOptions {
  context: IdentityContext;
  clock: AdjustableClock;
  faults: FaultRegistry;
  verifier: RealmTokenVerifier;
  /** The origin announced behind a proxy: the only foreign-looking `Origin` accepted. */
  publicUrl: string | undefined;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The body of `POST /__admin/clock`. */
export const CLOCK_BODY = {
  type: 'object',
  required: ['advanceSeconds'],
  additionalProperties: false,
  properties: { advanceSeconds: { type: 'number', minimum: 0, maximum: 3.2e9 } },
} as const;

/** The body of `POST /__admin/faults`. */
export const FAULT_BODY = {
  type: 'object',
  required: ['route'],
  additionalProperties: false,
  properties: {
    route: { type: 'string', enum: [...FAULT_ROUTES] },
    count: { type: 'integer', minimum: 1, maximum: 1_000_000, default: 1 },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    error: { type: 'string', pattern: '^[a-z_]{1,64}$' },
    latencyMs: { type: 'integer', minimum: 0, maximum: 60_000 },
  },
} as const;

/** One entry of `GET /__admin`. */
export interface AdminControl {
  method: string;
  path: string;
  description: string;
}

/** The test controls as `GET /__admin` lists them: the route table's admin routes. */
export const ADMIN_CONTROLS: readonly AdminControl[] = Object.values(ADMIN_ROUTES).map((route) => ({
  method: route.method,
  path: route.path === '/' ? ADMIN_PATH : `${ADMIN_PATH}${route.path}`,
  description: route.description,
}));

/**
 * Test controls no real server offers: reset, move the clock, inject faults, list sessions and
 * tokens (ids and metadata only, never token values); `GET /__admin` lists them.
 */
export const adminPlugin: FastifyPluginAsync<AdminPluginOptions> = async (
  app,
  { context, clock, faults, verifier, publicUrl },
) => {
  const { store } = context;

  // A page of another origin can post a form, `text/plain` or an empty body here without any
  // preflight (CORS "simple" requests); it cannot send `application/json` without one, which
  // this plugin never grants. So JSON is the only body parsed; anything else is 415.
  // https://fetch.spec.whatwg.org/#cors-safelisted-request-header
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string' },
    app.getDefaultJsonParser('error', 'error'),
  );
  app.addHook('onRequest', refuseForeignOrigin(publicUrl));

  app.route({
    ...routeOptions(ADMIN_ROUTES.index),
    handler: async () => ({ controls: ADMIN_CONTROLS }),
  });

  app.route({
    ...routeOptions(ADMIN_ROUTES.reset),
    handler: async () => {
      store.reset();
      context.clients.reset();
      context.clientKeys.clear();
      context.bruteForce.reset();
      faults.clear();
      verifier.clear();
      clock.reset();
      return { reset: true };
    },
  });

  const clockState = () => ({ now: iso(clock.now()), offsetSeconds: clock.offsetMs / 1000 });
  app.route({ ...routeOptions(ADMIN_ROUTES.clock), handler: async () => clockState() });
  app.route<{ Body: { advanceSeconds: number } }>({
    ...routeOptions(ADMIN_ROUTES.advanceClock),
    schema: { body: CLOCK_BODY },
    handler: async (request) => {
      const ms = request.body.advanceSeconds * 1000;
      // Tokens are signed with an `exp` up to the longest lifetime ahead of now: beyond what a
      // Date can hold, every date computation (JWT checks, ISO strings) fails.
      const latest = LATEST_INSTANT_MS - longestLifetimeMs(context);
      if (clock.now() + ms > latest) {
        throw new OAuthError(
          'invalid_request',
          `The clock cannot move past ${iso(latest)} (JavaScript's last date, less the longest token lifetime); it is ${iso(clock.now())}. POST ${ADMIN_PATH}/reset sets it back.`,
        );
      }
      clock.advance(ms);
      // Prune at once, so a soak run sees memory fall without waiting for the periodic sweep.
      store.prune(clock.now());
      context.bruteForce.prune(clock.now());
      verifier.prune(clock.now());
      return clockState();
    },
  });

  app.route({
    ...routeOptions(ADMIN_ROUTES.faults),
    handler: async () => ({ faults: faults.list() }),
  });
  app.route({
    ...routeOptions(ADMIN_ROUTES.clearFaults),
    handler: async () => {
      faults.clear();
      return { faults: [] };
    },
  });
  app.route<{ Body: Fault }>({
    ...routeOptions(ADMIN_ROUTES.addFault),
    schema: { body: FAULT_BODY },
    handler: async (request, reply) => {
      faults.add(request.body);
      return reply.code(201).send({ faults: faults.list() });
    },
  });

  app.route({
    ...routeOptions(ADMIN_ROUTES.clients),
    handler: async () => ({ clients: context.clients.all().map(clientMetadata) }),
  });
  app.route({
    ...routeOptions(ADMIN_ROUTES.registerClient),
    handler: async (request, reply) => {
      const registration = registrationFromMetadata(request.body);
      if (context.clients.get(registration.clientId)) {
        throw new OAuthError(
          'invalid_client_metadata',
          `client_id ${registration.clientId} is already registered; DELETE it first`,
        );
      }
      const client = context.clients.add(registration, Math.floor(clock.now() / 1000));
      return reply.code(201).header('cache-control', 'no-store').send(clientMetadata(client));
    },
  });
  app.route<{ Params: { clientId: string } }>({
    ...routeOptions(ADMIN_ROUTES.deleteClient),
    handler: async (request, reply) => {
      const { clientId } = request.params;
      if (!context.clients.delete(clientId)) {
        throw new OAuthError('not_found', `No client ${clientId}`, 404);
      }
      for (const grant of store.grants.values()) {
        if (grant.clientId === clientId) store.revokeGrant(grant.id);
      }
      return reply.code(204).send();
    },
  });

  app.route({
    ...routeOptions(ADMIN_ROUTES.sessions),
    handler: async () => {
      const now = clock.now();
      return {
        sessions: [...store.sessions.values()]
          .filter((session) => session.expiresAt > now)
          .map((session) => ({
            id: session.id,
            userId: session.userId,
            username: context.accounts.byUserId(session.userId)?.username,
            authTime: iso(session.authTime),
            expiresAt: iso(session.expiresAt),
            clients: [...session.clients],
          })),
      };
    },
  });

  app.route<{ Body: LaunchRequest }>({
    ...routeOptions(ADMIN_ROUTES.launches),
    schema: { body: LAUNCH_BODY },
    handler: async (request, reply) => {
      const launch = createLaunch(context, request.body);
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .send({ launch: launch.launch, iss: urlsFor(context, request).fhirBase });
    },
  });

  app.route({
    ...routeOptions(ADMIN_ROUTES.tokens),
    handler: async () => {
      const now = clock.now();
      const grantOf = (id: string) => store.grants.get(id);
      const access = [...store.accessTokens.values()]
        .filter((token) => token.expiresAt > now)
        .map((token) => ({
          id: token.jti,
          type: 'access',
          clientId: grantOf(token.grantId)?.clientId,
          patient: grantOf(token.grantId)?.patient,
          scope: token.scope,
          expiresAt: iso(token.expiresAt),
          revoked: token.revoked || grantOf(token.grantId)?.revoked !== false,
        }));
      const refresh = [...store.refreshTokens.values()]
        .filter((token) => token.expiresAt > now)
        .map((token) => ({
          id: token.id,
          type: grantOf(token.grantId)?.offline ? 'offline' : 'refresh',
          clientId: grantOf(token.grantId)?.clientId,
          patient: grantOf(token.grantId)?.patient,
          scope: token.scope,
          expiresAt: iso(token.expiresAt),
          revoked: grantOf(token.grantId)?.revoked !== false,
        }));
      return { tokens: [...access, ...refresh] };
    },
  });
};

function longestLifetimeMs(context: IdentityContext): number {
  return Math.max(...Object.values(context.config.lifetimes)) * 1000;
}

/**
 * Refuses (403) a request whose `Origin` is not the mock's own: a browser adds `Origin` to every
 * cross-origin POST, so a page elsewhere cannot reset the mock, move its clock or queue faults.
 * Tools (curl, test runners) send no `Origin` and pass.
 * @see https://www.rfc-editor.org/rfc/rfc6454#section-7.3
 */
function refuseForeignOrigin(publicUrl: string | undefined): onRequestHookHandler {
  return (request, _reply, done) => {
    const origin = request.headers.origin;
    if (origin === undefined || origin === publicOrigin(request, publicUrl)) return done();
    done(
      new OAuthError(
        'access_denied',
        `The test controls answer only requests from the mock's own origin, not from ${origin}`,
        403,
      ),
    );
  };
}
