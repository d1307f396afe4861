import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { AdjustableClock } from '../clock.js';
import {
  clientRequest,
  logoutBrowser,
  ONLINE_SCOPE,
  PUBLIC_CLIENT_ID,
  signIn,
  testApp,
  tokenRequest,
} from '../test-support/identity-flow.js';

let app: FastifyInstance;
let clock: AdjustableClock;

beforeAll(async () => {
  ({ app, clock } = await testApp());
});
afterAll(() => app.close());

const refresh = (refreshToken: unknown, extra: Record<string, string> = {}) =>
  tokenRequest(app, { grant_type: 'refresh_token', refresh_token: String(refreshToken), ...extra });

describe('POST /protocol/openid-connect/token (refresh_token)', () => {
  test('rotates the refresh token and issues new tokens', async () => {
    const { tokens } = await signIn(app);
    const response = await refresh(tokens.refresh_token);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.refresh_token).not.toBe(tokens.refresh_token);
    expect(body.access_token).not.toBe(tokens.access_token);
    expect(body.patient).toBe('428946492');
    expect(typeof body.id_token).toBe('string');
  });

  test('refuses a refresh token issued under another origin, naming the expected issuer', async () => {
    const { tokens } = await signIn(app);
    const response = await clientRequest(
      app,
      'token',
      { grant_type: 'refresh_token', refresh_token: String(tokens.refresh_token) },
      undefined,
      { host: '127.0.0.1' },
    );
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: 'invalid_grant',
      error_description: "Invalid token issuer. Expected 'http://127.0.0.1/auth/realms/nextgen'",
    });
  });

  test('rejects a refresh token that was already used', async () => {
    const { tokens } = await signIn(app);
    await refresh(tokens.refresh_token);
    const reuse = await refresh(tokens.refresh_token);
    expect(reuse.statusCode).toBe(400);
    expect(reuse.json().error).toBe('invalid_grant');
  });

  test('lets the scope shrink', async () => {
    const { tokens } = await signIn(app);
    const response = await refresh(tokens.refresh_token, { scope: 'openid patient/Patient.read' });
    expect(response.json().scope).toBe('openid patient/Patient.read');
  });

  test('never lets the scope grow', async () => {
    const { tokens } = await signIn(app, { scopes: ['patient/Patient.read'] });
    const response = await refresh(tokens.refresh_token, {
      scope: 'openid patient/Condition.read',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: 'invalid_scope',
      error_description: 'Invalid scopes: openid patient/Condition.read',
    });
  });

  test('issues an offline token with refresh_expires_in 0 for offline_access', async () => {
    const { tokens } = await signIn(app);
    expect(tokens.refresh_expires_in).toBe(0);
  });

  test('issues an online token bounded by the refresh lifetime without offline_access', async () => {
    const { tokens } = await signIn(app, { params: { scope: ONLINE_SCOPE } });
    expect(tokens.refresh_expires_in).toBe(1800);
  });

  test('keeps an offline token alive after logout', async () => {
    const { tokens, jar } = await signIn(app);
    await logoutBrowser(app, jar);
    expect((await refresh(tokens.refresh_token)).statusCode).toBe(200);
  });

  test('kills an online refresh token with its SSO session', async () => {
    const { tokens, jar } = await signIn(app, { params: { scope: ONLINE_SCOPE } });
    await logoutBrowser(app, jar);
    const response = await refresh(tokens.refresh_token);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'Session not active',
    });
  });

  test('rejects an expired refresh token as not active', async () => {
    const { app: own, clock: ownClock } = await testApp();
    const { tokens } = await signIn(own, { params: { scope: ONLINE_SCOPE } });
    ownClock.advance(1801_000);
    const response = await tokenRequest(own, {
      grant_type: 'refresh_token',
      refresh_token: String(tokens.refresh_token),
    });
    expect(response.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'Token is not active',
    });
    await own.close();
  });

  test('rejects an unknown refresh token', async () => {
    const response = await refresh('nope');
    expect(response.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'Invalid refresh token',
    });
  });

  test('rejects a refresh token of another client', async () => {
    const { tokens } = await signIn(app);
    const response = await tokenRequest(
      app,
      { grant_type: 'refresh_token', refresh_token: String(tokens.refresh_token) },
      { clientId: PUBLIC_CLIENT_ID },
    );
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('invalid_grant');
  });

  test('rejects a missing refresh_token with invalid_request', async () => {
    const response = await tokenRequest(app, { grant_type: 'refresh_token' });
    expect(response.json()).toEqual({
      error: 'invalid_request',
      error_description: 'Missing parameter: refresh_token',
    });
  });

  test('keeps working after the access token expired', async () => {
    const { tokens } = await signIn(app);
    clock.advance(301_000);
    expect((await refresh(tokens.refresh_token)).statusCode).toBe(200);
  });
});
