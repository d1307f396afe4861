import type { FastifyPluginAsync } from 'fastify';
import type { AdjustableClock } from '../clock.js';
import type { IdentityContext } from '../oidc/context.js';
import type { RealmTokenVerifier } from '../oidc/verifier.js';
import { FAULT_ROUTES, type Fault, type FaultRegistry } from './faults.js';

/** What the test-control plugin (at `/__admin`) acts on. */
export interface AdminPluginOptions {
  context: IdentityContext;
  clock: AdjustableClock;
  faults: FaultRegistry;
  verifier: RealmTokenVerifier;
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

declare module 'fastify' {
  interface FastifySchema {
    /** What a route does, in a sentence; `GET /__admin` lists the admin routes with it. */
    description?: string;
  }
}

/** One entry of `GET /__admin`. */
export interface AdminControl {
  method: string;
  path: string;
  description: string;
}

/**
 * Test controls no real server offers: reset, move the clock, inject faults, list sessions and
 * tokens (ids and metadata only, never token values). `GET /__admin` lists them, from the routes'
 * own descriptions.
 */
export const adminPlugin: FastifyPluginAsync<AdminPluginOptions> = async (
  app,
  { context, clock, faults, verifier },
) => {
  const { store } = context;
  const controls: AdminControl[] = [];
  app.addHook('onRoute', (route) => {
    const description = route.schema?.description;
    for (const method of [route.method].flat()) {
      if (description && method !== 'HEAD') {
        controls.push({ method, path: route.url.replace(/\/$/, ''), description });
      }
    }
  });

  app.get('/', { schema: { description: 'This list of the test controls.' } }, async () => ({
    controls,
  }));

  app.post(
    '/reset',
    {
      schema: {
        description:
          'Forget sessions, codes, grants, lockouts and faults, and set the clock back to real time.',
      },
    },
    async () => {
      store.reset();
      context.bruteForce.reset();
      faults.clear();
      verifier.clear();
      clock.reset();
      return { reset: true };
    },
  );

  const clockState = () => ({ now: iso(clock.now()), offsetSeconds: clock.offsetMs / 1000 });
  app.get(
    '/clock',
    { schema: { description: "The mock's clock: now, and its offset from real time." } },
    async () => clockState(),
  );
  app.post<{ Body: { advanceSeconds: number } }>(
    '/clock',
    {
      schema: {
        description:
          'Move the clock forward ({"advanceSeconds": 3600}): codes, tokens, sessions and lockouts expire.',
        body: CLOCK_BODY,
      },
    },
    async (request) => {
      clock.advance(request.body.advanceSeconds * 1000);
      // Prune at once, so a soak run sees memory fall without waiting for the periodic sweep.
      store.prune(clock.now());
      context.bruteForce.prune(clock.now());
      verifier.prune(clock.now());
      return clockState();
    },
  );

  app.get('/faults', { schema: { description: 'The pending faults.' } }, async () => ({
    faults: faults.list(),
  }));
  app.delete('/faults', { schema: { description: 'Clear the pending faults.' } }, async () => {
    faults.clear();
    return { faults: [] };
  });
  app.post<{ Body: Fault }>(
    '/faults',
    {
      schema: {
        description: `Fail (or delay) the next requests of a route ({"route": "token", "count": 2, "status": 503, "error": "temporarily_unavailable", "latencyMs": 500}); routes: ${FAULT_ROUTES.join(', ')}.`,
        body: FAULT_BODY,
      },
    },
    async (request, reply) => {
      faults.add(request.body);
      return reply.code(201).send({ faults: faults.list() });
    },
  );

  app.get('/sessions', { schema: { description: 'The live SSO sessions.' } }, async () => {
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
  });

  app.get(
    '/tokens',
    { schema: { description: 'The live tokens: ids and metadata, never token values.' } },
    async () => {
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
  );
};
