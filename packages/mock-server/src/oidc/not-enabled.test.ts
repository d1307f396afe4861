import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { basicAuthorization } from '@patient-access/auth-core';
import { FORM_HEADERS } from '../../../../test-support/cookie-jar.js';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  OIDC,
  testApp,
  tokenRequest,
} from '../test-support/identity-flow.js';

let app: FastifyInstance;

beforeAll(async () => {
  ({ app } = await testApp());
});
afterAll(() => app.close());

function post(url: string, form: Record<string, string>, secret = CLIENT_SECRET) {
  return app.inject({
    method: 'POST',
    url,
    payload: new URLSearchParams(form).toString(),
    headers: { ...FORM_HEADERS, authorization: basicAuthorization(CLIENT_ID, secret) },
  });
}

describe('advertised features no client of the realm is enabled for', () => {
  test('refuses a device authorization request as Keycloak 17 refuses a client without the grant', async () => {
    const response = await post(`${OIDC}/auth/device`, { scope: 'openid' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'Client not allowed for OAuth 2.0 Device Authorization Grant',
    });
  });

  test('authenticates the client before refusing a device authorization request', async () => {
    const response = await post(`${OIDC}/auth/device`, { scope: 'openid' }, 'wrong');
    expect(response.statusCode).toBe(401);
  });

  test('refuses a CIBA request as Keycloak 17 refuses a client without the grant', async () => {
    const response = await post(`${OIDC}/ext/ciba/auth`, { scope: 'openid', login_hint: 'x' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'Client not allowed OIDC CIBA Grant',
    });
  });

  test('refuses anonymous dynamic registration with the Trusted Hosts policy', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/auth/realms/nextgen/clients-registrations/openid-connect',
      payload: { redirect_uris: ['https://app.example/cb'] },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual({
      error: 'insufficient_scope',
      error_description:
        "Policy 'Trusted Hosts' rejected request to client-registration service. Details: Host not trusted.",
    });
  });

  test.each([
    ['password', 'unauthorized_client', 'Client not allowed for direct access grants'],
    [
      'urn:ietf:params:oauth:grant-type:device_code',
      'invalid_grant',
      'Client not allowed OAuth 2.0 Device Authorization Grant',
    ],
    ['urn:openid:params:grant-type:ciba', 'invalid_grant', 'Client not allowed OIDC CIBA Grant'],
  ])('refuses the %s grant with %s', async (grantType, error, description) => {
    const response = await tokenRequest(app, { grant_type: grantType });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error, error_description: description });
  });

  test('answers a grant the realm does not know as unsupported', async () => {
    const response = await tokenRequest(app, { grant_type: 'constructor' });
    expect(response.json()).toMatchObject({ error: 'unsupported_grant_type' });
  });
});
