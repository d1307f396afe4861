import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { obtainCode, REDIRECT_URI, testApp, tokenRequest } from '../test-support/identity-flow.js';

let app: FastifyInstance;

beforeAll(async () => {
  ({ app } = await testApp());
});
afterAll(() => app.close());

describe('pruning while requests are in flight', () => {
  test('keeps the grant of a code exchange that is still signing its tokens', async () => {
    const { code, pkce } = await obtainCode(app);
    let settled = false;
    const exchange = tokenRequest(app, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: pkce.verifier,
    }).finally(() => (settled = true));
    // Clock moves prune at once, as the periodic sweep does: keep pruning until the exchange,
    // which awaits its PKCE check and its signatures on the thread pool, has answered.
    while (!settled) {
      await app.inject({ method: 'POST', url: '/__admin/clock', payload: { advanceSeconds: 0 } });
    }
    const response = await exchange;
    expect(response.statusCode).toBe(200);
    const read = await app.inject({
      method: 'GET',
      url: '/api/fhir/r4/Patient/428946492',
      headers: {
        authorization: `Bearer ${response.json<{ access_token: string }>().access_token}`,
      },
    });
    expect(read.statusCode).toBe(200);
  });
});
