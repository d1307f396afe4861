import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createPkce } from '@patient-access/auth-core';
import { parse } from 'node-html-parser';
import {
  authorize,
  authorizeParams,
  CLIENT_ID,
  logoutBrowser,
  logoutUrl,
  OIDC,
  ONLINE_SCOPE,
  postForm,
  signIn,
  testApp,
  tokenRequest,
} from '../test-support/identity-flow.js';

let app: FastifyInstance;

beforeAll(async () => {
  ({ app } = await testApp());
});
afterAll(() => app.close());

/** The `error_description` a refresh with the sign-in's refresh token gets. */
async function refreshError(tokens: Record<string, unknown>): Promise<string> {
  const refresh = await tokenRequest(app, {
    grant_type: 'refresh_token',
    refresh_token: String(tokens.refresh_token),
  });
  return refresh.json<{ error_description: string }>().error_description;
}

describe('/protocol/openid-connect/logout', () => {
  test('ends the session and redirects to a registered post_logout_redirect_uri with state', async () => {
    const { tokens, jar } = await signIn(app, { params: { scope: ONLINE_SCOPE } });
    const response = await app.inject({
      url: logoutUrl({
        id_token_hint: String(tokens.id_token),
        post_logout_redirect_uri: 'http://127.0.0.1:3000/bye',
        state: 'bye-state',
      }),
      headers: jar.header(),
    });
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('http://127.0.0.1:3000/bye?state=bye-state');
    expect(await refreshError(tokens)).toBe('Session not active');
  });

  test('refuses an unregistered post_logout_redirect_uri with an error page', async () => {
    const { tokens } = await signIn(app);
    const response = await app.inject({
      url: logoutUrl({
        id_token_hint: String(tokens.id_token),
        post_logout_redirect_uri: 'https://evil.example/',
      }),
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers.location).toBeUndefined();
  });

  test('refuses an invalid id_token_hint with an error page', async () => {
    const response = await app.inject({ url: logoutUrl({ id_token_hint: 'not.a.jwt' }) });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Invalid parameter: id_token_hint');
  });

  test('asks for confirmation without an id_token_hint', async () => {
    const { jar } = await signIn(app);
    const response = await app.inject({ url: `${OIDC}/logout`, headers: jar.header() });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('id="kc-logout-confirm"');
  });

  test('after a confirmation, redirects to the post_logout_redirect_uri of client_id with state', async () => {
    const { tokens, jar } = await signIn(app, { params: { scope: ONLINE_SCOPE } });
    const page = await app.inject({
      url: logoutUrl({
        client_id: CLIENT_ID,
        post_logout_redirect_uri: 'http://127.0.0.1:3000/bye',
        state: 'bye-state',
      }),
      headers: jar.header(),
    });
    const form = parse(page.body).querySelector('form#kc-logout-confirm');
    const fields = Object.fromEntries(
      (form?.querySelectorAll('input[type=hidden]') ?? []).map((input) => [
        input.getAttribute('name') ?? '',
        input.getAttribute('value') ?? '',
      ]),
    );
    expect(page.headers['content-security-policy']).toContain(
      "form-action 'self' http://127.0.0.1:3000;",
    );
    expect(fields).toMatchObject({
      client_id: CLIENT_ID,
      post_logout_redirect_uri: 'http://127.0.0.1:3000/bye',
      state: 'bye-state',
    });
    const confirmed = await postForm(app, `${OIDC}/logout`, fields, jar);
    expect(confirmed.statusCode).toBe(302);
    expect(confirmed.headers.location).toBe('http://127.0.0.1:3000/bye?state=bye-state');
    expect(await refreshError(tokens)).toBe('Session not active');
  });

  test('without a session, follows a registered post_logout_redirect_uri at once', async () => {
    const response = await app.inject({
      url: logoutUrl({
        client_id: CLIENT_ID,
        post_logout_redirect_uri: 'http://127.0.0.1:3000/bye',
        state: 's',
      }),
    });
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('http://127.0.0.1:3000/bye?state=s');
  });

  test('without a session or a redirect, answers the logged-out page', async () => {
    const response = await app.inject({ url: `${OIDC}/logout` });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('You are logged out');
  });

  test('makes the next authorize ask for the password again', async () => {
    const { jar } = await signIn(app);
    await logoutBrowser(app, jar);
    const response = await authorize(
      app,
      authorizeParams(await createPkce(), { client_id: CLIENT_ID }),
      jar,
    );
    expect(response.body).toContain('id="kc-form-login"');
  });
});
