import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import {
  CLIENT_ID,
  clientRequest,
  obtainCode,
  OIDC,
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

function revoke(form: Record<string, string>, auth?: { clientId: string; secret?: string }) {
  return clientRequest(app, 'revoke', form, auth);
}

const userinfo = (token: unknown) =>
  app.inject({ url: `${OIDC}/userinfo`, headers: { authorization: `Bearer ${String(token)}` } });

describe('POST /protocol/openid-connect/revoke', () => {
  test('revokes a refresh token and the access tokens of its grant', async () => {
    const { tokens } = await signIn(app);
    const response = await revoke({
      token: String(tokens.refresh_token),
      token_type_hint: 'refresh_token',
    });
    expect(response.statusCode).toBe(200);
    const refresh = await tokenRequest(app, {
      grant_type: 'refresh_token',
      refresh_token: String(tokens.refresh_token),
    });
    expect(refresh.json().error).toBe('invalid_grant');
    expect((await userinfo(tokens.access_token)).statusCode).toBe(401);
  });

  test('revokes an access token alone', async () => {
    const { tokens } = await signIn(app);
    expect((await revoke({ token: String(tokens.access_token) })).statusCode).toBe(200);
    expect((await userinfo(tokens.access_token)).statusCode).toBe(401);
    const refresh = await tokenRequest(app, {
      grant_type: 'refresh_token',
      refresh_token: String(tokens.refresh_token),
    });
    expect(refresh.statusCode).toBe(200);
  });

  test('answers 200 for an unknown token', async () => {
    expect((await revoke({ token: 'never-issued' })).statusCode).toBe(200);
  });

  test('lets a public client revoke its own tokens with its client_id', async () => {
    const redirectUri = 'http://127.0.0.1:4000/cb';
    const flow = await obtainCode(app, {
      params: { client_id: PUBLIC_CLIENT_ID, redirect_uri: redirectUri },
    });
    const exchange = await tokenRequest(
      app,
      {
        grant_type: 'authorization_code',
        code: flow.code,
        redirect_uri: redirectUri,
        code_verifier: flow.pkce.verifier,
      },
      { clientId: PUBLIC_CLIENT_ID },
    );
    const refreshToken = String(exchange.json().refresh_token);
    expect((await revoke({ token: refreshToken }, { clientId: PUBLIC_CLIENT_ID })).statusCode).toBe(
      200,
    );
    const refresh = await tokenRequest(
      app,
      { grant_type: 'refresh_token', refresh_token: refreshToken },
      { clientId: PUBLIC_CLIENT_ID },
    );
    expect(refresh.json().error).toBe('invalid_grant');
  });

  test('requires client authentication', async () => {
    const { tokens } = await signIn(app);
    const response = await revoke(
      { token: String(tokens.refresh_token) },
      { clientId: CLIENT_ID, secret: 'wrong' },
    );
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({
      error: 'unauthorized_client',
      error_description: 'Invalid client secret',
    });
  });

  test('refuses to revoke another client’s token', async () => {
    const { tokens } = await signIn(app);
    const response = await revoke(
      { token: String(tokens.refresh_token) },
      { clientId: PUBLIC_CLIENT_ID },
    );
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: 'invalid_request',
      error_description: 'Unmatching clients',
    });
  });

  test('answers a missing token with invalid_request', async () => {
    const response = await revoke({});
    expect(response.json()).toEqual({
      error: 'invalid_request',
      error_description: 'Token not provided',
    });
  });

  test('answers an unknown token_type_hint with unsupported_token_type', async () => {
    const response = await revoke({ token: 'x', token_type_hint: 'id_token' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('unsupported_token_type');
  });
});
