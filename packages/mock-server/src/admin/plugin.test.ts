import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { CLOCK_BODY, FAULT_BODY } from './plugin.js';
import {
  obtainCode,
  OIDC,
  REDIRECT_URI,
  signIn,
  testApp,
  tokenRequest,
} from '../test-support/identity-flow.js';

let app: FastifyInstance;

beforeAll(async () => {
  ({ app } = await testApp());
});
afterAll(() => app.close());

const post = (url: string, payload?: object) =>
  app.inject({ method: 'POST', url, payload: payload ?? {} });

describe('/__admin', () => {
  test('moves the clock forward so a code expires without waiting', async () => {
    const flow = await obtainCode(app);
    const moved = await post('/__admin/clock', { advanceSeconds: 61 });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().offsetSeconds).toBeGreaterThanOrEqual(61);
    const response = await tokenRequest(app, {
      grant_type: 'authorization_code',
      code: flow.code,
      redirect_uri: REDIRECT_URI,
      code_verifier: flow.pkce.verifier,
    });
    expect(response.json().error).toBe('invalid_grant');
  });

  test('refuses to move the clock backward', async () => {
    const response = await post('/__admin/clock', { advanceSeconds: -5 });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('invalid_request');
  });

  test('makes the next token request fail with the injected error', async () => {
    expect(
      (
        await post('/__admin/faults', {
          route: 'token',
          count: 1,
          error: 'temporarily_unavailable',
        })
      ).statusCode,
    ).toBe(201);
    const failed = await tokenRequest(app, { grant_type: 'refresh_token', refresh_token: 'x' });
    expect(failed.statusCode).toBe(503);
    expect(failed.json().error).toBe('temporarily_unavailable');
    const next = await tokenRequest(app, { grant_type: 'refresh_token', refresh_token: 'x' });
    expect(next.statusCode).toBe(400);
  });

  test('makes FHIR requests fail with an OperationOutcome', async () => {
    await post('/__admin/faults', { route: 'fhir', count: 1, status: 500 });
    const response = await app.inject('/api/fhir/r4/metadata');
    expect(response.statusCode).toBe(500);
    expect(response.headers['content-type']).toContain('application/fhir+json');
    expect(response.json().resourceType).toBe('OperationOutcome');
  });

  test('lets a request through after a latency-only fault', async () => {
    await post('/__admin/faults', { route: 'discovery', count: 1, latencyMs: 1 });
    const response = await app.inject('/auth/realms/nextgen/.well-known/openid-configuration');
    expect(response.statusCode).toBe(200);
    expect((await app.inject('/__admin/faults')).json().faults).toEqual([]);
  });

  test('prunes expired sessions when the clock moves past them', async () => {
    const { app: own } = await testApp();
    await signIn(own);
    expect((await own.inject('/__admin/sessions')).json().sessions).toHaveLength(1);
    await own.inject({
      method: 'POST',
      url: '/__admin/clock',
      payload: { advanceSeconds: 36_001 },
    });
    expect((await own.inject('/__admin/sessions')).json().sessions).toEqual([]);
    await own.close();
  });

  test('refuses an unknown fault route', async () => {
    const response = await post('/__admin/faults', { route: 'everything', count: 1 });
    expect(response.statusCode).toBe(400);
  });

  test('lists live sessions and tokens without token values', async () => {
    const { tokens } = await signIn(app);
    const sessions = (await app.inject('/__admin/sessions')).json().sessions;
    expect(sessions.some((session: { username: string }) => session.username === 'DavidFHIR')).toBe(
      true,
    );
    const listing = await app.inject('/__admin/tokens');
    expect(listing.json().tokens.some((token: { type: string }) => token.type === 'offline')).toBe(
      true,
    );
    expect(listing.body).not.toContain(String(tokens.access_token));
    expect(listing.body).not.toContain(String(tokens.refresh_token));
  });

  test('resets all state, revoking issued tokens', async () => {
    const { tokens } = await signIn(app);
    expect((await post('/__admin/reset')).statusCode).toBe(200);
    expect((await app.inject('/__admin/sessions')).json().sessions).toEqual([]);
    const refresh = await tokenRequest(app, {
      grant_type: 'refresh_token',
      refresh_token: String(tokens.refresh_token),
    });
    expect(refresh.json().error).toBe('invalid_grant');
    const userinfo = await app.inject({
      url: `${OIDC}/userinfo`,
      headers: { authorization: `Bearer ${String(tokens.access_token)}` },
    });
    expect(userinfo.statusCode).toBe(401);
  });

  test('lists every test control at GET /__admin, which the banner links to', async () => {
    const response = await app.inject('/__admin');
    expect(response.statusCode).toBe(200);
    const { controls } = response.json<{ controls: Array<{ method: string; path: string }> }>();
    expect(controls.map(({ method, path }) => `${method} ${path}`).sort()).toEqual([
      'DELETE /__admin/clients/:clientId',
      'DELETE /__admin/faults',
      'GET /__admin',
      'GET /__admin/clients',
      'GET /__admin/clock',
      'GET /__admin/faults',
      'GET /__admin/sessions',
      'GET /__admin/tokens',
      'POST /__admin/clients',
      'POST /__admin/clock',
      'POST /__admin/faults',
      'POST /__admin/launches',
      'POST /__admin/reset',
    ]);
  });

  test('is absent when admin is off', async () => {
    const { app: locked } = await testApp({ admin: false });
    const response = await locked.inject({ method: 'POST', url: '/__admin/reset' });
    expect(response.statusCode).toBe(404);
    await locked.close();
  });
});

// The app skips meta-schema validation at start-up (a cold-start cost); these tests keep it.
describe('the admin body schemas', () => {
  const compile = async (schema: object) => {
    const app = Fastify();
    app.post('/', { schema: { body: schema } }, async () => ({}));
    try {
      await app.ready();
    } finally {
      await app.close();
    }
  };

  test.each([
    ['clock', CLOCK_BODY],
    ['faults', FAULT_BODY],
  ])('the %s body schema is valid JSON Schema', async (_name, schema) => {
    await expect(compile(schema)).resolves.toBeUndefined();
  });

  test('a schema that is not valid JSON Schema fails the same check', async () => {
    await expect(compile({ type: 'objekt' })).rejects.toThrow(/schema is invalid/);
  });
});
