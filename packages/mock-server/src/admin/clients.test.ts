import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { exportJWK, generateKeyPair } from 'jose';
import { testApp } from '../test-support/identity-flow.js';

let app: FastifyInstance;

beforeAll(async () => {
  ({ app } = await testApp());
});
afterAll(() => app.close());
beforeEach(async () => {
  await app.inject({ method: 'POST', url: '/__admin/reset' });
});

const register = (payload: object) =>
  app.inject({ method: 'POST', url: '/__admin/clients', payload });

async function publicJwk() {
  const { publicKey } = await generateKeyPair('ES384');
  return { ...(await exportJWK(publicKey)), kid: 'k1', use: 'sig', alg: 'ES384' };
}

describe('POST /__admin/clients', () => {
  test('registers a secret client and answers 201 with its metadata', async () => {
    const response = await register({
      client_id: 'my-app',
      client_name: 'My App',
      redirect_uris: ['http://127.0.0.1:3000/cb'],
      token_endpoint_auth_method: 'client_secret_post',
      client_secret: 's3cret',
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      client_id: 'my-app',
      client_name: 'My App',
      client_secret: 's3cret',
      client_secret_expires_at: 0,
      redirect_uris: ['http://127.0.0.1:3000/cb'],
      token_endpoint_auth_method: 'client_secret_post',
      grant_types: ['authorization_code', 'refresh_token'],
    });
  });

  test('generates the client id and secret when they are not given', async () => {
    const body = (await register({ redirect_uris: ['http://127.0.0.1/cb'] })).json();
    expect(body.client_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.client_secret).toMatch(/^[\w-]{43}$/);
    expect(body.token_endpoint_auth_method).toBe('client_secret_basic');
  });

  test('registers a private_key_jwt backend service with inline keys', async () => {
    const response = await register({
      client_id: 'backend',
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [await publicJwk()] },
      grant_types: ['client_credentials'],
      scope: 'system/*.read',
      id_token_signed_response_alg: 'ES256',
    });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body).toMatchObject({
      client_id: 'backend',
      grant_types: ['client_credentials'],
      scope: 'system/*.read',
      id_token_signed_response_alg: 'ES256',
    });
    expect(body.client_secret).toBeUndefined();
    expect(body.jwks.keys[0].kid).toBe('k1');
  });

  test('lists registered clients with the built-in ones', async () => {
    await register({ client_id: 'listed', redirect_uris: ['http://127.0.0.1/cb'] });
    const ids = (await app.inject('/__admin/clients'))
      .json()
      .clients.map((client: { client_id: string }) => client.client_id);
    expect(ids).toEqual(['yourHealthFile', 'patient-access-extension', 'listed']);
  });

  test.each([
    [{ redirect_uris: ['not a uri'] }, 'invalid_redirect_uri'],
    [{ redirect_uris: ['https://app.example/cb#frag'] }, 'invalid_redirect_uri'],
    [{ token_endpoint_auth_method: 'client_secret_basic' }, 'invalid_redirect_uri'],
    [
      { redirect_uris: ['http://127.0.0.1/cb'], token_endpoint_auth_method: 'self_signed_tls' },
      'invalid_client_metadata',
    ],
    [
      { redirect_uris: ['http://127.0.0.1/cb'], token_endpoint_auth_method: 'private_key_jwt' },
      'invalid_client_metadata',
    ],
    [
      { redirect_uris: ['http://127.0.0.1/cb'], grant_types: ['password'] },
      'invalid_client_metadata',
    ],
    [
      {
        redirect_uris: ['http://127.0.0.1/cb'],
        token_endpoint_auth_method: 'none',
        grant_types: ['client_credentials'],
      },
      'invalid_client_metadata',
    ],
    [
      {
        redirect_uris: ['http://127.0.0.1/cb'],
        token_endpoint_auth_method: 'none',
        client_secret: 'x',
      },
      'invalid_client_metadata',
    ],
    [
      { redirect_uris: ['http://127.0.0.1/cb'], scope: 'patient/Observation.write' },
      'invalid_client_metadata',
    ],
    [
      { redirect_uris: ['http://127.0.0.1/cb'], id_token_signed_response_alg: 'none' },
      'invalid_client_metadata',
    ],
    [
      { redirect_uris: ['http://127.0.0.1/cb'], software_statement: 'x' },
      'invalid_client_metadata',
    ],
    [
      {
        grant_types: ['client_credentials'],
        token_endpoint_auth_method: 'private_key_jwt',
        jwks_uri: 'http://10.0.0.1/jwks',
      },
      'invalid_client_metadata',
    ],
    [
      {
        grant_types: ['client_credentials'],
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: { keys: [{ kty: 'oct', k: 'AAAA' }] },
      },
      'invalid_client_metadata',
    ],
    [
      {
        grant_types: ['client_credentials'],
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: { keys: [{ kty: 'RSA', n: 'x', e: 'AQAB' }] },
      },
      'invalid_client_metadata',
    ],
  ])('answers 400 to %j with %s', async (metadata, error) => {
    const response = await register(metadata);
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe(error);
    expect(typeof response.json().error_description).toBe('string');
  });

  test('refuses private key material in jwks', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const response = await register({
      grant_types: ['client_credentials'],
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [await exportJWK(privateKey)] },
    });
    expect(response.json().error).toBe('invalid_client_metadata');
  });

  test('refuses an id that is already registered', async () => {
    const response = await register({
      client_id: 'yourHealthFile',
      redirect_uris: ['http://127.0.0.1/cb'],
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('invalid_client_metadata');
  });

  test('refuses a body that is not an object', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/__admin/clients',
      payload: '[]',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('invalid_client_metadata');
  });
});

describe('DELETE /__admin/clients/{id}', () => {
  test('forgets a registered client', async () => {
    await register({ client_id: 'gone', redirect_uris: ['http://127.0.0.1/cb'] });
    const response = await app.inject({ method: 'DELETE', url: '/__admin/clients/gone' });
    expect(response.statusCode).toBe(204);
    const ids = (await app.inject('/__admin/clients'))
      .json()
      .clients.map((client: { client_id: string }) => client.client_id);
    expect(ids).not.toContain('gone');
  });

  test('answers 404 for an unknown client', async () => {
    const response = await app.inject({ method: 'DELETE', url: '/__admin/clients/nobody' });
    expect(response.statusCode).toBe(404);
  });
});

describe('POST /__admin/reset', () => {
  test('removes the clients registered at run time and keeps the configured ones', async () => {
    await register({ client_id: 'temporary', redirect_uris: ['http://127.0.0.1/cb'] });
    await app.inject({ method: 'DELETE', url: '/__admin/clients/yourHealthFile' });
    await app.inject({ method: 'POST', url: '/__admin/reset' });
    const ids = (await app.inject('/__admin/clients'))
      .json()
      .clients.map((client: { client_id: string }) => client.client_id);
    expect(ids).toEqual(['yourHealthFile', 'patient-access-extension']);
  });
});

describe('a client registered for client_credentials only', () => {
  test('may not start a browser sign-in', async () => {
    await register({
      client_id: 'service-only',
      redirect_uris: ['http://127.0.0.1/cb'],
      grant_types: ['client_credentials'],
    });
    const response = await app.inject({
      url: '/auth/realms/nextgen/protocol/openid-connect/auth?client_id=service-only&redirect_uri=http://127.0.0.1/cb&response_type=code&scope=openid',
    });
    const location = new URL(response.headers.location as string);
    expect(location.searchParams.get('error')).toBe('unauthorized_client');
  });
});

describe('a client registered for tls_client_auth', () => {
  test('is refused at the token endpoint as Keycloak 17 refuses a request without a certificate', async () => {
    const registered = await register({
      client_id: 'mtls-service',
      token_endpoint_auth_method: 'tls_client_auth',
      grant_types: ['client_credentials'],
    });
    expect(registered.statusCode).toBe(201);
    expect(registered.json().client_secret).toBeUndefined();
    const response = await app.inject({
      method: 'POST',
      url: '/auth/realms/nextgen/protocol/openid-connect/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'grant_type=client_credentials&client_id=mtls-service',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: 'invalid_client',
      error_description: 'Invalid client credentials',
    });
  });

  test('may not register a client secret', async () => {
    const response = await register({
      client_id: 'mtls-secret',
      token_endpoint_auth_method: 'tls_client_auth',
      client_secret: 'x',
      grant_types: ['client_credentials'],
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('invalid_client_metadata');
  });
});
