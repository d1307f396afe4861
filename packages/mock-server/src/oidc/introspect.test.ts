import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { AdjustableClock } from '../clock.js';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  clientRequest,
  OIDC,
  PUBLIC_CLIENT_ID,
  signIn,
  testApp,
} from '../test-support/identity-flow.js';

let app: FastifyInstance;
let clock: AdjustableClock;

beforeAll(async () => {
  ({ app, clock } = await testApp());
});
afterAll(() => app.close());

function introspect(token: string | undefined, secret = CLIENT_SECRET, host = 'localhost:80') {
  const form: Record<string, string> = token === undefined ? {} : { token };
  return clientRequest(app, 'token/introspect', form, { clientId: CLIENT_ID, secret }, { host });
}

describe('POST /protocol/openid-connect/token/introspect', () => {
  test('reports an active access token with its grant', async () => {
    const { tokens } = await signIn(app);
    const response = await introspect(String(tokens.access_token));
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.json();
    expect(body).toMatchObject({
      active: true,
      client_id: CLIENT_ID,
      scope: tokens.scope,
      patient: '428946492',
      token_type: 'Bearer',
      sub: 'f1a7c6a2-5d0e-4c44-9c57-2b7f3f0d4a01',
    });
    expect(typeof body.exp).toBe('number');
  });

  test('reports an access token issued under another origin as inactive', async () => {
    const { tokens } = await signIn(app);
    const body = (await introspect(String(tokens.access_token), undefined, '127.0.0.1')).json();
    expect(body).toEqual({ active: false });
  });

  test('reports a refresh token issued under another origin as inactive', async () => {
    const { tokens } = await signIn(app);
    const body = (await introspect(String(tokens.refresh_token), undefined, '127.0.0.1')).json();
    expect(body).toEqual({ active: false });
  });

  test('reports an active refresh token as an offline token', async () => {
    const { tokens } = await signIn(app);
    const body = (await introspect(String(tokens.refresh_token))).json();
    expect(body).toMatchObject({
      active: true,
      token_type: 'Offline',
      client_id: CLIENT_ID,
      patient: '428946492',
    });
  });

  test('reports an expired access token as inactive', async () => {
    const { tokens } = await signIn(app);
    clock.advance(301_000);
    expect((await introspect(String(tokens.access_token))).json()).toEqual({ active: false });
  });

  test('reports garbage as inactive', async () => {
    expect((await introspect('garbage')).json()).toEqual({ active: false });
  });

  test('requires client authentication', async () => {
    const response = await introspect('x', 'wrong');
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({
      error: 'unauthorized_client',
      error_description: 'Invalid client secret',
    });
  });

  test('refuses public clients', async () => {
    const response = await app.inject({
      method: 'POST',
      url: `${OIDC}/token/introspect`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `client_id=${PUBLIC_CLIENT_ID}&token=x`,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: 'invalid_request',
      error_description: 'Client not allowed.',
    });
  });

  test('answers a missing token with invalid_request', async () => {
    const response = await introspect(undefined);
    expect(response.json()).toEqual({
      error: 'invalid_request',
      error_description: 'Missing parameter: token',
    });
  });
});
