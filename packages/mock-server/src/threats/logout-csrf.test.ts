import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { parse } from 'node-html-parser';
import {
  logoutUrl,
  ONLINE_SCOPE,
  PUBLIC_CLIENT_ID,
  signIn,
  testApp,
  tokenRequest,
} from '../test-support/identity-flow.js';

let app: FastifyInstance;

beforeAll(async () => {
  ({ app } = await testApp());
});
afterAll(() => app.close());

const refreshes = async (tokens: Record<string, unknown>) =>
  (
    await tokenRequest(app, {
      grant_type: 'refresh_token',
      refresh_token: String(tokens.refresh_token),
    })
  ).statusCode === 200;

describe('logout with another user’s id_token_hint (logout CSRF)', () => {
  test('asks the browser’s user to confirm, and neither session ends nor cookie clears', async () => {
    const victim = await signIn(app, { params: { scope: ONLINE_SCOPE } });
    const attacker = await signIn(app, { params: { scope: ONLINE_SCOPE } });
    const response = await app.inject({
      url: logoutUrl({ id_token_hint: String(attacker.tokens.id_token) }),
      headers: victim.jar.header(),
    });
    expect(response.statusCode).toBe(200);
    expect(parse(response.body).querySelector('input[name=confirm]')).not.toBeNull();
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(await refreshes(victim.tokens)).toBe(true);
    expect(await refreshes(attacker.tokens)).toBe(true);
  });

  test('ends the browser’s own session at once with its own hint', async () => {
    const own = await signIn(app, { params: { scope: ONLINE_SCOPE } });
    const response = await app.inject({
      url: logoutUrl({ id_token_hint: String(own.tokens.id_token) }),
      headers: own.jar.header(),
    });
    expect(response.statusCode).toBe(200);
    expect(parse(response.body).querySelector('input[name=confirm]')).toBeNull();
    expect(await refreshes(own.tokens)).toBe(false);
  });
});

describe('logout with a client_id other than the hint’s azp', () => {
  test('answers Keycloak’s error page and ends nothing', async () => {
    const { tokens, jar } = await signIn(app, { params: { scope: ONLINE_SCOPE } });
    const response = await app.inject({
      url: logoutUrl({
        id_token_hint: String(tokens.id_token),
        client_id: PUBLIC_CLIENT_ID,
        post_logout_redirect_uri: 'http://127.0.0.1:3000/bye',
      }),
      headers: jar.header(),
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Invalid parameter: client_id');
    expect(response.headers.location).toBeUndefined();
    expect(await refreshes(tokens)).toBe(true);
  });
});
