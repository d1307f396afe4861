import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { allowedHostnames, hostnameOf } from '../security/hosts.js';
import { OIDC, testApp } from '../test-support/identity-flow.js';

let app: FastifyInstance;

beforeAll(async () => {
  ({ app } = await testApp({ allowedHosts: ['mock.internal'] }));
});
afterAll(() => app.close());

const get = (url: string, host: string) => app.inject({ method: 'GET', url, headers: { host } });

describe('a request under a foreign Host (DNS rebinding)', () => {
  test('gets 421 on discovery instead of naming the attacker as issuer', async () => {
    const response = await get(
      '/auth/realms/nextgen/.well-known/openid-configuration',
      'attacker.example',
    );
    expect(response.statusCode).toBe(421);
    expect(response.json()).toMatchObject({ error: 'invalid_request' });
    expect(response.body).not.toContain('"issuer"');
  });

  test('gets 421 on the test controls, so a rebound page cannot list tokens', async () => {
    const response = await get('/__admin/tokens', 'attacker.example:8765');
    expect(response.statusCode).toBe(421);
  });

  test('gets 421 as an OperationOutcome under the FHIR base', async () => {
    const response = await get('/api/fhir/r4/metadata', 'attacker.example');
    expect(response.statusCode).toBe(421);
    expect(response.headers['content-type']).toContain('application/fhir+json');
    expect(response.json()).toMatchObject({ resourceType: 'OperationOutcome' });
  });

  test('gets 421 at the authorization endpoint, so no sign-in starts under that name', async () => {
    const response = await get(`${OIDC}/auth?client_id=yourHealthFile`, 'attacker.example');
    expect(response.statusCode).toBe(421);
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  test('gets 421 for a path no route serves as well', async () => {
    expect((await get('/nowhere', 'attacker.example')).statusCode).toBe(421);
  });
});

describe('the Host allowlist', () => {
  test('answers loopback names, with or without a port', async () => {
    for (const host of ['localhost', 'localhost:8765', '127.0.0.1:8765', '[::1]:8765']) {
      expect((await get('/api/fhir/r4/metadata', host)).statusCode).toBe(200);
    }
  });

  test('answers a name given with --allowed-host, in any case', async () => {
    expect((await get('/api/fhir/r4/metadata', 'Mock.Internal:8765')).statusCode).toBe(200);
  });

  test('names the bound address and the public URL host', () => {
    const names = allowedHostnames({
      host: '10.0.0.7',
      publicUrl: 'https://mock.example.org/',
      allowedHosts: [],
    });
    expect(names.has('10.0.0.7')).toBe(true);
    expect(names.has('mock.example.org')).toBe(true);
    expect(names.has('example.org')).toBe(false);
  });

  test('reads the host name of a Host header without its port', () => {
    expect(hostnameOf('[::1]:80')).toBe('::1');
    expect(hostnameOf('Example.test:80')).toBe('example.test');
    expect(hostnameOf('example.test')).toBe('example.test');
  });
});
