import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createPkce } from '@patient-access/auth-core';
import {
  authorize,
  authorizeParams,
  obtainCode,
  PUBLIC_CLIENT_ID,
  REDIRECT_URI,
  testApp,
  tokenRequest,
} from '../test-support/identity-flow.js';

let app: FastifyInstance;

beforeAll(async () => {
  ({ app } = await testApp({ rateLimit: { loginPerMinute: 0, tokenPerMinute: 0 } }));
});
afterAll(() => app.close());

const exchange = (code: string, verifier: string, auth?: { clientId: string; secret?: string }) =>
  tokenRequest(
    app,
    { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier },
    auth,
  );

describe('authorization code injection', () => {
  test('refuses a code issued to another client, with the right verifier', async () => {
    const { code, pkce } = await obtainCode(app);
    const response = await exchange(code, pkce.verifier, { clientId: PUBLIC_CLIENT_ID });
    expect(response.statusCode).toBe(400);
    // Keycloak 17's words for a code of another client.
    expect(response.json()).toMatchObject({
      error: 'invalid_grant',
      error_description: 'Auth error',
    });
  });

  test('refuses a stolen code presented with the attacker’s own verifier', async () => {
    const { code } = await obtainCode(app);
    const attacker = await createPkce();
    const response = await exchange(code, attacker.verifier);
    expect(response.json()).toMatchObject({
      error: 'invalid_grant',
      error_description: 'PKCE verification failed',
    });
  });

  test('spends a code on a failed exchange, so the right verifier cannot use it afterwards', async () => {
    const { code, pkce } = await obtainCode(app);
    await exchange(code, (await createPkce()).verifier);
    const response = await exchange(code, pkce.verifier);
    expect(response.statusCode).toBe(400);
    expect(response.json<{ error: string }>().error).toBe('invalid_grant');
  });
});

describe('PKCE downgrade', () => {
  test('advertises S256 as the only code challenge method in the SMART configuration', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/fhir/r4/.well-known/smart-configuration',
    });
    expect(response.json<Record<string, unknown>>().code_challenge_methods_supported).toEqual([
      'S256',
    ]);
  });

  test('never shows the login form to a request without a code challenge', async () => {
    const pkce = await createPkce();
    const response = await authorize(
      app,
      authorizeParams(pkce, { code_challenge: undefined, code_challenge_method: undefined }),
    );
    expect(response.statusCode).toBe(302);
    expect(new URL(response.headers.location as string).searchParams.get('error')).toBe(
      'invalid_request',
    );
  });

  test('refuses a public client’s exchange without a verifier', async () => {
    const redirectUri = 'http://127.0.0.1:9999/callback';
    const { code } = await obtainCode(app, {
      params: { client_id: PUBLIC_CLIENT_ID, redirect_uri: redirectUri },
    });
    const response = await tokenRequest(
      app,
      { grant_type: 'authorization_code', code, redirect_uri: redirectUri },
      { clientId: PUBLIC_CLIENT_ID },
    );
    expect(response.json()).toMatchObject({
      error: 'invalid_grant',
      error_description: 'PKCE code verifier not specified',
    });
  });
});

describe('code leakage through the redirect', () => {
  test('sends the code only in the query of the registered redirect URI, never in a fragment', async () => {
    const { location } = await obtainCode(app);
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    expect(location.hash).toBe('');
    expect([...location.searchParams.keys()]).toEqual(['state', 'session_state', 'code']);
  });
});
