import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GUIDE_USERS } from '../../../../test-support/guide.js';
import type { FastifyInstance } from 'fastify';
import { createPkce, type Pkce } from '@patient-access/auth-core';
import {
  authorize,
  authorizeParams,
  CookieJar,
  ISSUER,
  obtainCode,
  REDIRECT_URI,
  testApp,
} from '../test-support/identity-flow.js';

let app: FastifyInstance;
let pkce: Pkce;

beforeAll(async () => {
  ({ app } = await testApp());
  pkce = await createPkce();
});
afterAll(() => app.close());

function redirectParams(location: string | undefined): URLSearchParams {
  expect(location).toBeDefined();
  const url = new URL(location as string);
  expect(`${url.origin}${url.pathname}`).toBe(REDIRECT_URI);
  return url.searchParams;
}

async function expectRedirectError(
  overrides: Record<string, string | undefined>,
  error: string,
  description: string,
) {
  const response = await authorize(app, authorizeParams(pkce, overrides));
  expect(response.statusCode).toBe(302);
  const params = redirectParams(response.headers.location as string);
  expect(params.get('error')).toBe(error);
  expect(params.get('error_description')).toBe(description);
  return params;
}

describe('GET /protocol/openid-connect/auth', () => {
  test('shows the login form for a valid request', async () => {
    const response = await authorize(app, authorizeParams(pkce));
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('id="kc-form-login"');
  });

  test('accepts the same request by POST', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/auth/realms/nextgen/protocol/openid-connect/auth',
      payload: new URLSearchParams(authorizeParams(pkce)).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('id="kc-form-login"');
  });

  test('answers an unknown client_id with an error page, never a redirect', async () => {
    const response = await authorize(app, authorizeParams(pkce, { client_id: 'nobody' }));
    expect(response.statusCode).toBe(400);
    expect(response.headers.location).toBeUndefined();
    expect(response.body).toContain('Client not found.');
  });

  test('answers a missing client_id with an error page', async () => {
    const response = await authorize(app, authorizeParams(pkce, { client_id: undefined }));
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Missing parameter: client_id');
  });

  test('answers an unregistered redirect_uri with an error page, never a redirect', async () => {
    const response = await authorize(
      app,
      authorizeParams(pkce, { redirect_uri: 'https://evil.example/callback' }),
    );
    expect(response.statusCode).toBe(400);
    expect(response.headers.location).toBeUndefined();
    expect(response.body).toContain('Invalid parameter: redirect_uri');
  });

  test('refuses a host that only ends like a wildcard pattern', async () => {
    const response = await authorize(
      app,
      authorizeParams(pkce, { redirect_uri: 'https://evil.example/.chromiumapp.org/cb' }),
    );
    expect(response.statusCode).toBe(400);
  });

  test('accepts a chromiumapp.org redirect through the wildcard pattern', async () => {
    const response = await authorize(
      app,
      authorizeParams(pkce, { redirect_uri: 'https://abcdefghijklmnop.chromiumapp.org/cb' }),
    );
    expect(response.statusCode).toBe(200);
  });

  test('accepts a loopback redirect on any port', async () => {
    const response = await authorize(
      app,
      authorizeParams(pkce, { redirect_uri: 'http://127.0.0.1:53127/callback' }),
    );
    expect(response.statusCode).toBe(200);
  });

  test('answers a duplicated client_id with an error page', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/auth/realms/nextgen/protocol/openid-connect/auth?client_id=a&client_id=b',
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers.location).toBeUndefined();
  });

  test('redirects a duplicated parameter as invalid_request', async () => {
    const query = new URLSearchParams(authorizeParams(pkce));
    query.append('scope', 'openid');
    const response = await app.inject({
      method: 'GET',
      url: `/auth/realms/nextgen/protocol/openid-connect/auth?${query.toString()}`,
    });
    const params = redirectParams(response.headers.location as string);
    expect(params.get('error')).toBe('invalid_request');
    expect(params.get('error_description')).toBe('duplicated parameter');
  });

  test('redirects an unknown response_type as unsupported_response_type without a description', async () => {
    const response = await authorize(app, authorizeParams(pkce, { response_type: 'magic' }));
    const params = redirectParams(response.headers.location as string);
    expect(params.get('error')).toBe('unsupported_response_type');
    expect(params.has('error_description')).toBe(false);
  });

  test('redirects a token response_type as unauthorized_client: implicit flow is disabled', async () => {
    const params = await expectRedirectError(
      { response_type: 'token' },
      'unauthorized_client',
      'Client is not allowed to initiate browser login with given response_type. Implicit flow is disabled for the client.',
    );
    expect(params.get('state')).toBe('state-123');
    expect(params.has('iss')).toBe(false);
  });

  test('redirects a missing response_type as invalid_request', async () => {
    await expectRedirectError(
      { response_type: undefined },
      'invalid_request',
      'Missing parameter: response_type',
    );
  });

  test('redirects unknown scopes as invalid_scope', async () => {
    await expectRedirectError(
      { scope: 'openid patient/Spaceship.read' },
      'invalid_scope',
      'Invalid scopes: openid patient/Spaceship.read',
    );
  });

  test('redirects a scope the realm does not list, such as a write scope, as invalid_scope', async () => {
    await expectRedirectError(
      { scope: 'openid patient/Observation.write' },
      'invalid_scope',
      'Invalid scopes: openid patient/Observation.write',
    );
  });

  test('redirects a system scope as invalid_scope: it is for client_credentials', async () => {
    await expectRedirectError(
      { scope: 'openid system/Observation.rs' },
      'invalid_scope',
      'Invalid scopes: openid system/Observation.rs',
    );
  });

  test('accepts lower-case resource names as the real server does', async () => {
    const response = await authorize(
      app,
      authorizeParams(pkce, {
        scope: 'openid patient/careplan.read patient/documentreference.read',
      }),
    );
    expect(response.statusCode).toBe(200);
  });

  test('redirects a missing code_challenge with Keycloak’s message about the method', async () => {
    await expectRedirectError(
      { code_challenge: undefined, code_challenge_method: undefined },
      'invalid_request',
      'Missing parameter: code_challenge_method',
    );
  });

  test('redirects a challenge without its method as invalid_request', async () => {
    await expectRedirectError(
      { code_challenge_method: undefined },
      'invalid_request',
      'Missing parameter: code_challenge_method',
    );
  });

  test('refuses the plain code_challenge_method', async () => {
    await expectRedirectError(
      { code_challenge_method: 'plain' },
      'invalid_request',
      'Invalid parameter: code_challenge_method',
    );
  });

  test('redirects a method without its challenge as invalid_request', async () => {
    await expectRedirectError(
      { code_challenge: undefined },
      'invalid_request',
      'Missing parameter: code_challenge',
    );
  });

  test('refuses a malformed code_challenge', async () => {
    await expectRedirectError(
      { code_challenge: 'too-short' },
      'invalid_request',
      'Invalid parameter: code_challenge',
    );
  });

  test('refuses an aud other than the FHIR base', async () => {
    await expectRedirectError(
      { aud: 'https://fhir.meditouchehr.com/api/fhir/r4' },
      'invalid_request',
      'Invalid parameter: aud',
    );
  });

  test('refuses a request without aud', async () => {
    await expectRedirectError({ aud: undefined }, 'invalid_request', 'Missing parameter: aud');
  });

  test('answers prompt=none without a session with login_required', async () => {
    await expectRedirectError({ prompt: 'none' }, 'login_required', 'Login required');
  });

  test('carries state and adds session_state, without iss, to the code redirect', async () => {
    const { location } = await obtainCode(app);
    expect([...location.searchParams.keys()]).toEqual(['state', 'session_state', 'code']);
    expect(location.searchParams.get('state')).toBe('state-123');
    expect(location.searchParams.get('session_state')).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('adds iss to the code redirect with the authorization-response-iss quirk', async () => {
    const { app: withIss } = await testApp({ quirks: ['authorization-response-iss'] });
    const { location } = await obtainCode(withIss);
    expect([...location.searchParams.keys()]).toEqual(['state', 'session_state', 'iss', 'code']);
    expect(location.searchParams.get('iss')).toBe(ISSUER);
    await withIss.close();
  });

  test('skips the password when an SSO session exists', async () => {
    const jar = new CookieJar();
    await obtainCode(app, { jar });
    const second = await authorize(app, authorizeParams(pkce), jar);
    expect(second.statusCode).toBe(200);
    expect(second.body).toContain('id="kc-select-patient-form"');
    expect(second.body).not.toContain('id="kc-form-login"');
  });

  test('shows the login form again with prompt=login despite an SSO session', async () => {
    const jar = new CookieJar();
    await obtainCode(app, { jar });
    const second = await authorize(app, authorizeParams(pkce, { prompt: 'login' }), jar);
    expect(second.body).toContain('id="kc-form-login"');
  });

  test('answers prompt=none with a session with interaction_required', async () => {
    const jar = new CookieJar();
    await obtainCode(app, { jar });
    const response = await authorize(app, authorizeParams(pkce, { prompt: 'none' }), jar);
    expect(redirectParams(response.headers.location as string).get('error')).toBe(
      'interaction_required',
    );
  });

  test('pre-fills the username from login_hint', async () => {
    const response = await authorize(
      app,
      authorizeParams(pkce, { login_hint: GUIDE_USERS.anna.username }),
    );
    expect(response.body).toContain('value="AnnaFHIR"');
  });
});
