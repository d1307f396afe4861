import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { MockConfig } from '../config.js';
import { signIn, testApp, tokenRequest } from '../test-support/identity-flow.js';

const apps: FastifyInstance[] = [];
afterAll(() => Promise.all(apps.map((app) => app.close())));

async function appWith(config: Partial<MockConfig> = {}): Promise<FastifyInstance> {
  const { app } = await testApp(config);
  apps.push(app);
  return app;
}

const refresh = (app: FastifyInstance, token: unknown) =>
  tokenRequest(app, { grant_type: 'refresh_token', refresh_token: String(token) });

const read = (app: FastifyInstance, accessToken: unknown) =>
  app.inject({
    method: 'GET',
    url: '/api/fhir/r4/Patient',
    headers: { authorization: `Bearer ${String(accessToken)}` },
  });

describe('a stolen refresh token replayed after rotation (default: Revoke Refresh Token on, max reuse 0)', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await appWith();
  });

  test('is refused with Keycloak’s reuse message, and the whole grant dies with it', async () => {
    const { tokens } = await signIn(app);
    const rotated = (await refresh(app, tokens.refresh_token)).json<Record<string, unknown>>();
    const replay = await refresh(app, tokens.refresh_token);
    expect(replay.statusCode).toBe(400);
    expect(replay.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'Maximum allowed refresh token reuse exceeded',
    });
    const victim = await refresh(app, rotated.refresh_token);
    expect(victim.json()).toEqual({
      error: 'invalid_grant',
      error_description: "Session doesn't have required client",
    });
    expect((await read(app, rotated.access_token)).statusCode).toBe(401);
  });

  test('answers a token older than the last refresh as stale, and revokes the grant', async () => {
    const { tokens } = await signIn(app);
    const second = (await refresh(app, tokens.refresh_token)).json<Record<string, unknown>>();
    const third = (await refresh(app, second.refresh_token)).json<Record<string, unknown>>();
    const stale = await refresh(app, tokens.refresh_token);
    expect(stale.json()).toEqual({ error: 'invalid_grant', error_description: 'Stale token' });
    expect((await refresh(app, third.refresh_token)).statusCode).toBe(400);
    expect((await read(app, third.access_token)).statusCode).toBe(401);
  });

  test('keeps other grants of the same user alive', async () => {
    const victim = await signIn(app);
    const bystander = await signIn(app);
    await refresh(app, victim.tokens.refresh_token);
    await refresh(app, victim.tokens.refresh_token);
    expect((await refresh(app, bystander.tokens.refresh_token)).statusCode).toBe(200);
  });
});

describe('Refresh Token Max Reuse', () => {
  test('lets a token serve max reuse + 1 refreshes, then revokes the grant', async () => {
    const app = await appWith({ refreshTokenMaxReuse: 1 });
    const { tokens } = await signIn(app);
    expect((await refresh(app, tokens.refresh_token)).statusCode).toBe(200);
    const again = await refresh(app, tokens.refresh_token);
    expect(again.statusCode).toBe(200);
    const third = await refresh(app, tokens.refresh_token);
    expect(third.json().error_description).toBe('Maximum allowed refresh token reuse exceeded');
    expect((await refresh(app, again.json().refresh_token)).statusCode).toBe(400);
  });
});

describe('Revoke Refresh Token off (Keycloak’s stock realm)', () => {
  test('keeps a used refresh token valid until it expires, as Keycloak does', async () => {
    const app = await appWith({ revokeRefreshToken: false });
    const { tokens } = await signIn(app);
    expect((await refresh(app, tokens.refresh_token)).statusCode).toBe(200);
    expect((await refresh(app, tokens.refresh_token)).statusCode).toBe(200);
  });
});
