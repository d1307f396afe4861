import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { readSpecFile } from '../spec-files.js';
import { ISSUER, OIDC, ORIGIN, testApp } from '../test-support/identity-flow.js';

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

  test('equals the captured document with only the host rewritten: keys, values and order', async () => {
    const response = await app.inject('/auth/realms/nextgen/.well-known/openid-configuration');
    const captured = readSpecFile('nextgen-office-openid-configuration.json').replaceAll(
      'https://idp-prod.prod.ngo.nextgenaws.net',
      ORIGIN,
    );
    expect(response.body).toBe(JSON.stringify(JSON.parse(captured)));
  });

  test('does not advertise the authorization response iss parameter', async () => {
    const document = (
      await app.inject('/auth/realms/nextgen/.well-known/openid-configuration')
    ).json();
    expect(document).not.toHaveProperty('authorization_response_iss_parameter_supported');
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

describe('GET {FHIR base}/.well-known/smart-configuration', () => {
  test('equals the captured document with only the host rewritten: keys, values and order', async () => {
    const response = await app.inject('/api/fhir/r4/.well-known/smart-configuration');
    const captured = readSpecFile('nextgen-office-r4-smart-configuration.json').replaceAll(
      'https://idp-prod.prod.ngo.nextgenaws.net',
      ORIGIN,
    );
    expect(response.body).toBe(JSON.stringify(JSON.parse(captured)));
  });
});

describe('GET /protocol/openid-connect/certs', () => {
  test('publishes the RS256 key first, with its kid, and no private parts of any key', async () => {
    const response = await app.inject(`${OIDC}/certs`);
    expect(response.statusCode).toBe(200);
    const keys = response.json<{ keys: Record<string, unknown>[] }>().keys;
    expect(keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(typeof keys[0]?.kid).toBe('string');
    for (const key of keys) expect(key.d).toBeUndefined();
  });
});
