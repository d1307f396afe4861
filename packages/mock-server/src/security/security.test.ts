import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createPkce } from '@patient-access/auth-core';
import {
  authorize,
  authorizeParams,
  OIDC,
  testApp,
  tokenRequest,
} from '../test-support/identity-flow.js';
import { redactUrl } from './logging.js';
import { resolveConfig } from '../config.js';

let app: FastifyInstance;

beforeAll(async () => {
  ({ app } = await testApp());
  app.get('/__test/boom', async () => {
    throw new Error('secret internal detail');
  });
});
afterAll(() => app.close());

const form = { 'content-type': 'application/x-www-form-urlencoded' };

describe('HTML hardening', () => {
  test('sends CSP, frame-ancestors none and X-Frame-Options DENY on the login page', async () => {
    const response = await authorize(app, authorizeParams(await createPkce()));
    const csp = response.headers['content-security-policy'];
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['cache-control']).toBe('no-store');
  });

  test.each([
    ['a FHIR read without a token', '/api/fhir/r4/Patient/428946492', {}],
    ['an unknown FHIR path', '/api/fhir/r4/Nothing/at/all/here', {}],
    ['the discovery document', '/auth/realms/nextgen/.well-known/openid-configuration', {}],
    ['an unknown realm path', '/auth/realms/nextgen/nothing', {}],
    ['a URL the router refuses', '/api/fhir/r4/%ZZ/%2F', {}],
    ['a foreign Host', '/api/fhir/r4/metadata', { host: 'attacker.example' }],
    ['the landing page', '/', {}],
    ['a test control', '/__admin/clock', {}],
  ])('sends X-Content-Type-Options nosniff on %s', async (_name, url, headers) => {
    const response = await app.inject({ url, headers });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('bad input', () => {
  test('answers an oversized body with 413 in OAuth shape', async () => {
    const response = await app.inject({
      method: 'POST',
      url: `${OIDC}/token`,
      headers: form,
      payload: `grant_type=refresh_token&refresh_token=${'a'.repeat(70 * 1024)}`,
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().error).toBe('invalid_request');
    expect(response.headers['cache-control']).toBe('no-store');
  });

  test('answers an unsupported content type with 415 in OAuth shape', async () => {
    const response = await app.inject({
      method: 'POST',
      url: `${OIDC}/token`,
      headers: { 'content-type': 'application/xml' },
      payload: '<grant_type>x</grant_type>',
    });
    expect(response.statusCode).toBe(415);
    expect(response.json().error).toBe('invalid_request');
  });

  test('answers a plain-text body with invalid_request', async () => {
    const response = await app.inject({
      method: 'POST',
      url: `${OIDC}/token`,
      headers: { 'content-type': 'text/plain' },
      payload: 'grant_type=x',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error_description).toBe(
      'Content-Type must be application/x-www-form-urlencoded',
    );
  });

  test('answers malformed JSON with 400 in OAuth shape', async () => {
    const response = await app.inject({
      method: 'POST',
      url: `${OIDC}/token`,
      headers: { 'content-type': 'application/json' },
      payload: '{"grant_type":',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('invalid_request');
  });

  test('survives invalid UTF-8 and very long values in the authorize query', async () => {
    const pkce = await createPkce();
    const query = new URLSearchParams(
      authorizeParams(pkce, { state: 'x'.repeat(4000) }),
    ).toString();
    const response = await app.inject(`${OIDC}/auth?${query}&nonce=%FF%FE`);
    expect(response.statusCode).toBeLessThan(500);
  });

  test('answers an array in a form body with invalid_request', async () => {
    const response = await tokenRequest(app, {
      grant_type: 'refresh_token',
      'refresh_token[]': 'a',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('invalid_request');
  });

  test('maps an unexpected exception to server_error without internal detail', async () => {
    const response = await app.inject('/__test/boom');
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({
      error: 'server_error',
      error_description: 'Unexpected server error',
    });
  });
});

describe('not found', () => {
  test('answers an unknown realm path in Keycloak’s JSON shape', async () => {
    const response = await app.inject('/auth/realms/nextgen/protocol/openid-connect/nothing');
    expect(response.statusCode).toBe(404);
    expect(response.json().error).toBe('not_found');
  });

  test('answers an unknown FHIR path with an OperationOutcome', async () => {
    const response = await app.inject('/api/fhir/r4/Nothing/at/all/here');
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('application/fhir+json');
    expect(response.json().resourceType).toBe('OperationOutcome');
  });
});

describe('URLs the router refuses', () => {
  test('answers bad percent-encoding under the realm with invalid_request', async () => {
    const response = await app.inject('/auth/realms/nextgen/%ZZ');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: 'invalid_request', error_description: 'Invalid URL' });
  });

  test('answers bad percent-encoding under the FHIR base with an OperationOutcome', async () => {
    const response = await app.inject('/api/fhir/r4/%ZZ/%2F');
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/fhir+json');
  });

  test('answers an over-long path segment with 414 in the protocol shape', async () => {
    const response = await app.inject(`/api/fhir/r4/Patient/${'x'.repeat(300)}`);
    expect(response.statusCode).toBe(414);
    expect(response.json().resourceType).toBe('OperationOutcome');
  });
});

describe('rate limits', () => {
  test('throttles the token endpoint with 429 temporarily_unavailable', async () => {
    const { app: limited } = await testApp({ rateLimit: { tokenPerMinute: 2, loginPerMinute: 2 } });
    await tokenRequest(limited, { grant_type: 'x' });
    await tokenRequest(limited, { grant_type: 'x' });
    const response = await tokenRequest(limited, { grant_type: 'x' });
    expect(response.statusCode).toBe(429);
    expect(response.json().error).toBe('temporarily_unavailable');
    // RFC 9110 §10.2.3: the delay in seconds.
    expect(response.headers['retry-after']).toMatch(/^\d+$/);
    await limited.close();
  });

  test('are off by default, as in Keycloak', () => {
    expect(resolveConfig().rateLimit).toEqual({ loginPerMinute: 0, tokenPerMinute: 0 });
  });

  test('turns off with a limit of 0', async () => {
    const { app: unlimited } = await testApp({
      rateLimit: { tokenPerMinute: 0, loginPerMinute: 0 },
    });
    for (let i = 0; i < 5; i++) await tokenRequest(unlimited, { grant_type: 'x' });
    expect((await tokenRequest(unlimited, { grant_type: 'x' })).statusCode).toBe(400);
    await unlimited.close();
  });
});

describe('redactUrl', () => {
  test('hides codes, session codes and tokens in logged URLs', () => {
    const redacted = redactUrl('/cb?code=abc&session_code=def&client_id=app&token=t');
    expect(redacted).not.toMatch(/abc|def|=t(&|$)/);
    expect(redacted).toContain('client_id=app');
  });

  test('leaves URLs without a query alone', () => {
    expect(redactUrl('/auth/realms/nextgen')).toBe('/auth/realms/nextgen');
  });
});
