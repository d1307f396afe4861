import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { parse } from 'node-html-parser';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { createPkce } from '@patient-access/auth-core';
import {
  authorize,
  authorizeParams,
  CLIENT_ID,
  CookieJar,
  formAction,
  ISSUER,
  OIDC,
  postForm,
  REDIRECT_URI,
  testApp,
  tokenRequest,
} from '../test-support/identity-flow.js';
import { GUIDE_USERS } from '../../../../test-support/guide.js';

const { david } = GUIDE_USERS;

let app: FastifyInstance;

beforeAll(async () => {
  ({ app } = await testApp());
});
afterAll(() => app.close());

/** Authorize in `mode`, sign in, allow: the response that goes back to the client. */
async function respond(mode: string, overrides: Record<string, string> = {}) {
  const jar = new CookieJar();
  const pkce = await createPkce();
  const login = await authorize(
    app,
    authorizeParams(pkce, { response_mode: mode, ...overrides }),
    jar,
  );
  jar.store(login);
  const selection = await postForm(app, formAction(login.body, 'kc-form-login'), david, jar);
  const response = await postForm(
    app,
    formAction(selection.body, 'kc-select-patient-form'),
    { patient: david.patientId, accept: 'yes' },
    jar,
  );
  return { response, pkce };
}

async function verifyResponseJwt(jwt: string) {
  const jwks = (await app.inject({ method: 'GET', url: `${OIDC}/certs` })).json();
  const { payload } = await jwtVerify(jwt, createLocalJWKSet(jwks), {
    issuer: ISSUER,
    audience: CLIENT_ID,
  });
  return payload;
}

function formFields(html: string): Record<string, string> {
  return Object.fromEntries(
    parse(html)
      .querySelectorAll('form input[type=hidden]')
      .map((input) => [input.getAttribute('name') ?? '', input.getAttribute('value') ?? '']),
  );
}

describe('response_mode', () => {
  test('fragment puts code and state in the redirect URI’s fragment', async () => {
    const { response, pkce } = await respond('fragment');
    expect(response.statusCode).toBe(302);
    const location = new URL(response.headers.location as string);
    expect(location.search).toBe('');
    const fragment = new URLSearchParams(location.hash.slice(1));
    expect(fragment.get('state')).toBe('state-123');
    const exchange = await tokenRequest(app, {
      grant_type: 'authorization_code',
      code: fragment.get('code') ?? '',
      redirect_uri: REDIRECT_URI,
      code_verifier: pkce.verifier,
    });
    expect(exchange.statusCode).toBe(200);
  });

  test('form_post answers a self-submitting form to the redirect URI, its script allowed by hash', async () => {
    const { response } = await respond('form_post');
    expect(response.statusCode).toBe(200);
    const form = parse(response.body).querySelector('form');
    expect(form?.getAttribute('method')).toBe('post');
    expect(form?.getAttribute('action')).toBe(REDIRECT_URI);
    const fields = formFields(response.body);
    expect(fields.state).toBe('state-123');
    expect(fields.code).toMatch(/^[\w-]{43}$/);
    const csp = response.headers['content-security-policy'] as string;
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain(`form-action 'self' ${new URL(REDIRECT_URI).origin}`);
  });

  test.each(['query.jwt', 'jwt'])(
    '%s sends one signed response JWT in the query with the code, state, iss and aud',
    async (mode) => {
      const { response } = await respond(mode);
      const location = new URL(response.headers.location as string);
      expect([...location.searchParams.keys()]).toEqual(['response']);
      const payload = await verifyResponseJwt(location.searchParams.get('response') ?? '');
      expect(payload).toMatchObject({ state: 'state-123', iss: ISSUER, aud: CLIENT_ID });
      expect(payload.code).toMatch(/^[\w-]{43}$/);
      expect(payload.exp).toBeGreaterThan(Date.now() / 1000);
    },
  );

  test('fragment.jwt sends the response JWT in the fragment', async () => {
    const { response } = await respond('fragment.jwt');
    const location = new URL(response.headers.location as string);
    const jwt = new URLSearchParams(location.hash.slice(1)).get('response') ?? '';
    expect((await verifyResponseJwt(jwt)).state).toBe('state-123');
  });

  test('form_post.jwt posts the response JWT', async () => {
    const { response } = await respond('form_post.jwt');
    const fields = formFields(response.body);
    expect(Object.keys(fields)).toEqual(['response']);
    expect((await verifyResponseJwt(fields.response ?? '')).code).toMatch(/^[\w-]{43}$/);
  });

  test('sends an authorization error in the requested mode', async () => {
    const response = await authorize(
      app,
      authorizeParams(await createPkce(), { response_mode: 'fragment', scope: 'openid nonsense' }),
    );
    const location = new URL(response.headers.location as string);
    expect(location.search).toBe('');
    expect(new URLSearchParams(location.hash.slice(1)).get('error')).toBe('invalid_scope');
  });

  test('refuses an unknown mode in the query', async () => {
    const response = await authorize(
      app,
      authorizeParams(await createPkce(), { response_mode: 'web_message' }),
    );
    const location = new URL(response.headers.location as string);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toBe('Invalid parameter: response_mode');
  });
});
