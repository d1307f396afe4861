import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { ISSUER, OIDC, testApp } from '../test-support/identity-flow.js';

let app: FastifyInstance;

beforeAll(async () => {
  ({ app } = await testApp());
});
afterAll(() => app.close());

describe('GET /.well-known/openid-configuration', () => {
  test('rewrites the captured document to the mock’s origin', async () => {
    const response = await app.inject('/auth/realms/nextgen/.well-known/openid-configuration');
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.issuer).toBe(ISSUER);
    expect(document.token_endpoint).toBe(`${ISSUER}/protocol/openid-connect/token`);
    expect(document.authorization_endpoint).toBe(`${ISSUER}/protocol/openid-connect/auth`);
    expect(JSON.stringify(document)).not.toContain('nextgenaws.net');
  });

  test('keeps the 416 captured scopes', async () => {
    const document = (
      await app.inject('/auth/realms/nextgen/.well-known/openid-configuration')
    ).json();
    expect(document.scopes_supported).toHaveLength(416);
  });

  test('advertises only what the mock implements', async () => {
    const document = (
      await app.inject('/auth/realms/nextgen/.well-known/openid-configuration')
    ).json();
    expect(document.grant_types_supported).toEqual(['authorization_code', 'refresh_token']);
    expect(document.response_types_supported).toEqual(['code']);
    expect(document.code_challenge_methods_supported).toEqual(['S256']);
    expect(document.id_token_signing_alg_values_supported).toEqual(['RS256']);
    expect(document.registration_endpoint).toBeUndefined();
    expect(document.device_authorization_endpoint).toBeUndefined();
    expect(document.check_session_iframe).toBeUndefined();
  });

  test('follows the public URL when one is configured', async () => {
    const { app: proxied } = await testApp({ publicUrl: 'https://mock.example.org' });
    const document = (
      await proxied.inject('/auth/realms/nextgen/.well-known/openid-configuration')
    ).json();
    expect(document.issuer).toBe('https://mock.example.org/auth/realms/nextgen');
    await proxied.close();
  });
});

describe('GET /protocol/openid-connect/certs', () => {
  test('publishes the RS256 key with its kid and no private parts', async () => {
    const response = await app.inject(`${OIDC}/certs`);
    expect(response.statusCode).toBe(200);
    const [key, ...rest] = response.json().keys;
    expect(rest).toHaveLength(0);
    expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(typeof key.kid).toBe('string');
    expect(key.d).toBeUndefined();
  });
});
