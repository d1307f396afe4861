import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { OIDC, testApp, tokenRequest } from '../test-support/identity-flow.js';

let app: FastifyInstance;

beforeAll(async () => {
  ({ app } = await testApp());
});
afterAll(() => app.close());

describe('CORS on the back-channel endpoints', () => {
  test('answers a preflight from a registered loopback origin', async () => {
    const response = await app.inject({
      method: 'OPTIONS',
      url: `${OIDC}/token`,
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' },
    });
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(response.headers['access-control-allow-headers']).toContain('authorization');
  });

  test('lets a registered origin read a token error', async () => {
    const response = await app.inject({
      method: 'POST',
      url: `${OIDC}/token`,
      headers: {
        origin: 'http://127.0.0.1:3000',
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: 'grant_type=refresh_token',
    });
    expect(response.headers['access-control-allow-origin']).toBe('http://127.0.0.1:3000');
  });

  test('gives no CORS header to an unregistered origin', async () => {
    const response = await app.inject({
      method: 'OPTIONS',
      url: `${OIDC}/token`,
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    const post = await tokenRequest(app, { grant_type: 'x' });
    expect(post.headers['access-control-allow-origin']).toBeUndefined();
  });
});
