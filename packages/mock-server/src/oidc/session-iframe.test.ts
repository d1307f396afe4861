import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { parse } from 'node-html-parser';
import { CLIENT_ID, OIDC, testApp } from '../test-support/identity-flow.js';

let app: FastifyInstance;

beforeAll(async () => {
  ({ app } = await testApp());
});
afterAll(() => app.close());

const IFRAME = `${OIDC}/login-status-iframe.html`;

describe('GET /protocol/openid-connect/login-status-iframe.html', () => {
  test('serves the page the discovery names as check_session_iframe', async () => {
    const discovery = await app.inject('/auth/realms/nextgen/.well-known/openid-configuration');
    expect(new URL(discovery.json().check_session_iframe).pathname).toBe(IFRAME);
    const response = await app.inject(IFRAME);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-cache');
  });

  test('may be framed by any site, unlike every other page', async () => {
    const response = await app.inject(IFRAME);
    expect(response.headers['x-frame-options']).toBeUndefined();
    expect(response.headers['content-security-policy']).toContain('frame-ancestors *');
  });

  test('runs only its own script, allowed by its hash, and calls only its own origin', async () => {
    const response = await app.inject(IFRAME);
    const script = parse(response.body).querySelector('script')?.text ?? '';
    const hash = createHash('sha256').update(script).digest('base64');
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain(`script-src 'sha256-${hash}'`);
    expect(csp).toContain("connect-src 'self'");
    expect(script).toContain("getCookieByName('KEYCLOAK_SESSION')");
  });

  test('answers 404 for a resource version it does not have, as Keycloak does', async () => {
    const response = await app.inject(`${IFRAME}?version=abc12`);
    expect(response.statusCode).toBe(404);
  });
});

describe('GET …/login-status-iframe.html/init', () => {
  const init = (query: Record<string, string>) => app.inject({ url: `${IFRAME}/init`, query });

  test("answers 204 for an origin of the client's redirect URIs", async () => {
    const response = await init({ client_id: CLIENT_ID, origin: 'http://localhost:5173' });
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
  });

  test("answers 204 for the realm's own origin", async () => {
    const response = await init({ client_id: CLIENT_ID, origin: 'http://localhost' });
    expect(response.statusCode).toBe(204);
  });

  test('answers 403 for an origin the client does not allow', async () => {
    const response = await init({ client_id: CLIENT_ID, origin: 'https://evil.example' });
    expect(response.statusCode).toBe(403);
    expect(response.body).toBe('');
  });

  test('answers 403 for an unknown client', async () => {
    const response = await init({ client_id: 'nobody', origin: 'http://localhost:5173' });
    expect(response.statusCode).toBe(403);
  });

  test('answers 403 without the parameters', async () => {
    expect((await init({})).statusCode).toBe(403);
  });
});
