import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { AdjustableClock } from '../clock.js';
import { loadSigningKeys } from '../oidc/keys.js';
import { IdentityStore } from '../oidc/sessions/store.js';
import { RealmTokenVerifier } from '../oidc/verifier.js';
import {
  obtainCode,
  REDIRECT_URI,
  signIn,
  testApp,
  tokenRequest,
} from '../test-support/identity-flow.js';

let app: FastifyInstance;
let token: string;

beforeAll(async () => {
  ({ app } = await testApp());
  token = String((await signIn(app)).tokens.access_token);
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

describe('state kept by a long-running mock', () => {
  test('the token verifier forgets a cached token once it has expired and is pruned', async () => {
    const clock = new AdjustableClock();
    const verifier = new RealmTokenVerifier(
      () => loadSigningKeys(undefined),
      new IdentityStore(),
      clock,
    );
    await verifier.verify(token);
    expect(verifier.size).toBe(1);
    verifier.prune(clock.now());
    expect(verifier.size).toBe(1);
    clock.advance(301_000);
    verifier.prune(clock.now());
    expect(verifier.size).toBe(0);
  });
});
