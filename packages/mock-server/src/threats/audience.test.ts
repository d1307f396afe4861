import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { decodeJwt } from 'jose';
import { CookieJar, OIDC, signIn, testApp } from '../test-support/identity-flow.js';

let app: FastifyInstance;
/** A token minted while the mock answered as `other.test` (an allowed host): its iss and aud name that host. */
let foreignToken: string;
let ownToken: string;

const OTHER = 'http://other.test:80';

beforeAll(async () => {
  ({ app } = await testApp({ allowedHosts: ['other.test'] }));
  ownToken = (await signIn(app)).tokens.access_token as string;
  // Every request of this sign-in goes to the other name, as a client configured for another
  // server would send them.
  const other = new Proxy(app, {
    get: (target, key) =>
      key === 'inject'
        ? (options: InjectOptions) =>
            target.inject({ ...options, headers: { ...options.headers, host: 'other.test:80' } })
        : Reflect.get(target, key),
  });
  const flow = await signIn(other, {
    params: { aud: `${OTHER}/api/fhir/r4` },
    jar: new CookieJar(),
  });
  foreignToken = flow.tokens.access_token as string;
});
afterAll(() => app.close());

describe('a token minted for another audience (audience confusion)', () => {
  test('is minted with the other name as issuer and audience', () => {
    expect(decodeJwt(foreignToken)).toMatchObject({
      iss: `${OTHER}/auth/realms/nextgen`,
      aud: `${OTHER}/api/fhir/r4`,
    });
  });

  test('is refused by the FHIR base of this origin with 401 invalid_token', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/fhir/r4/Patient',
      headers: { authorization: `Bearer ${foreignToken}` },
    });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/error="invalid_token"/);
    expect(response.json().issue[0].diagnostics).toContain(
      "Invalid token issuer. Expected 'http://localhost:80/auth/realms/nextgen'",
    );
  });

  test('is refused even once cached, by a read that comes after an accepted one', async () => {
    const accepted = await app.inject({
      method: 'GET',
      url: '/api/fhir/r4/Patient',
      headers: { authorization: `Bearer ${foreignToken}`, host: 'other.test:80' },
    });
    expect(accepted.statusCode).toBe(200);
    const refused = await app.inject({
      method: 'GET',
      url: '/api/fhir/r4/Patient',
      headers: { authorization: `Bearer ${foreignToken}` },
    });
    expect(refused.statusCode).toBe(401);
  });

  test('is refused by userinfo of this realm with 401 invalid_token', async () => {
    const response = await app.inject({
      method: 'GET',
      url: `${OIDC}/userinfo`,
      headers: { authorization: `Bearer ${foreignToken}` },
    });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ error: 'invalid_token' });
  });

  test('is accepted where it was minted, and this origin still accepts its own tokens', async () => {
    const own = await app.inject({
      method: 'GET',
      url: `${OIDC}/userinfo`,
      headers: { authorization: `Bearer ${ownToken}` },
    });
    expect(own.statusCode).toBe(200);
  });
});
