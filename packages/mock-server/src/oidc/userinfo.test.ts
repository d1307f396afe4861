import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { decodeJwt } from 'jose';
import type { AdjustableClock } from '../clock.js';
import { FHIR_BASE, OIDC, signIn, testApp } from '../test-support/identity-flow.js';

let app: FastifyInstance;
let clock: AdjustableClock;

beforeAll(async () => {
  ({ app, clock } = await testApp());
});
afterAll(() => app.close());

const bearer = (token: unknown) => ({ authorization: `Bearer ${String(token)}` });

describe('/protocol/openid-connect/userinfo', () => {
  test('answers the ID token’s subject with fhirUser and names on GET', async () => {
    const { tokens } = await signIn(app);
    const response = await app.inject({
      url: `${OIDC}/userinfo`,
      headers: bearer(tokens.access_token),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      sub: decodeJwt(String(tokens.id_token)).sub,
      fhirUser: `${FHIR_BASE}/Person/4007449`,
      given_name: 'David',
      family_name: 'Smith',
      preferred_username: 'davidfhir',
    });
  });

  test('answers on POST with the token in the form body', async () => {
    const { tokens } = await signIn(app);
    const response = await app.inject({
      method: 'POST',
      url: `${OIDC}/userinfo`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `access_token=${String(tokens.access_token)}`,
    });
    expect(response.statusCode).toBe(200);
  });

  test('answers a missing token with 401 and WWW-Authenticate', async () => {
    const response = await app.inject({ url: `${OIDC}/userinfo` });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(
      /^Bearer realm="nextgen", error="invalid_token"/,
    );
    expect(response.json().error).toBe('invalid_token');
  });

  test('answers a forged token with 401 invalid_token', async () => {
    const { tokens } = await signIn(app);
    const [header, payload] = String(tokens.access_token).split('.');
    const response = await app.inject({
      url: `${OIDC}/userinfo`,
      headers: bearer(`${header}.${payload}.AAAA`),
    });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  test('answers an expired token with 401 invalid_token', async () => {
    const { tokens } = await signIn(app);
    clock.advance(301_000);
    const response = await app.inject({
      url: `${OIDC}/userinfo`,
      headers: bearer(tokens.access_token),
    });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({
      error: 'invalid_token',
      error_description: 'Token is not active',
    });
  });

  test('refuses an ID token presented as an access token', async () => {
    const { tokens } = await signIn(app);
    const response = await app.inject({
      url: `${OIDC}/userinfo`,
      headers: bearer(tokens.id_token),
    });
    expect(response.statusCode).toBe(401);
  });

  test('answers a token without openid with 403 insufficient_scope', async () => {
    const { tokens } = await signIn(app, {
      params: { scope: 'launch/patient patient/Patient.read' },
    });
    const response = await app.inject({
      url: `${OIDC}/userinfo`,
      headers: bearer(tokens.access_token),
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().error).toBe('insufficient_scope');
  });
});
