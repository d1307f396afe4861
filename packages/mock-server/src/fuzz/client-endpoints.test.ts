import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { SignJWT } from 'jose';
import {
  anyBody,
  authorizationHeader,
  checkProperty,
  contentType,
  expectOAuthError,
  FUZZ_TIMEOUT_MS,
  headers,
  hostileText,
  send,
  wellFormed,
} from './harness.js';
import { ISSUER, OIDC, testApp } from '../test-support/identity-flow.js';
import { JWT_BEARER } from '../oidc/client-assertion.js';
import { REGISTRABLE_FIELDS } from '../oidc/client-metadata.js';

const METADATA_FIELDS = REGISTRABLE_FIELDS;
const SECRET = 'fuzz-secret-of-at-least-thirty-two-chars';

let app: FastifyInstance;

beforeAll(async () => {
  ({ app } = await testApp({ rateLimit: { loginPerMinute: 0, tokenPerMinute: 0 } }));
  const registered = await app.inject({
    method: 'POST',
    url: '/__admin/clients',
    payload: {
      client_id: 'fuzz-hmac',
      token_endpoint_auth_method: 'client_secret_jwt',
      client_secret: SECRET,
      grant_types: ['client_credentials'],
      scope: 'system/*.read',
    },
  });
  expect(registered.statusCode).toBe(201);
});
afterAll(() => app.close());

const jsonValue = fc.oneof(
  hostileText.map(wellFormed),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(hostileText.map(wellFormed), { maxLength: 3 }),
  fc.constantFrom(
    ['client_credentials'],
    ['authorization_code'],
    ['http://127.0.0.1/cb'],
    { keys: [] },
    { keys: [{ kty: 'RSA', n: 'AQAB', e: 'AQAB' }] },
    { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: 'd' }] },
    'private_key_jwt',
    'none',
    'http://10.0.0.1/jwks',
    'system/*.read',
  ),
);

describe('POST /__admin/clients under fuzzed metadata', () => {
  test(
    'answers 201 or an RFC 7591 error, never a 5xx',
    async () => {
      await checkProperty(
        fc.asyncProperty(
          fc.dictionary(
            fc.oneof(fc.constantFrom(...METADATA_FIELDS), hostileText.map(wellFormed)),
            jsonValue,
            {
              maxKeys: 6,
            },
          ),
          async (metadata) => {
            const response = await app.inject({
              method: 'POST',
              url: '/__admin/clients',
              payload: metadata,
            });
            expect(response.statusCode).toBeLessThan(500);
            if (response.statusCode === 201) {
              const { client_id: clientId } = response.json<{ client_id: string }>();
              const deleted = await app.inject({
                method: 'DELETE',
                url: `/__admin/clients/${encodeURIComponent(clientId)}`,
              });
              expect(deleted.statusCode).toBe(204);
            } else {
              expectOAuthError(response);
              expect([
                'invalid_client_metadata',
                'invalid_redirect_uri',
                'invalid_request',
              ]).toContain(response.json<{ error: string }>().error);
            }
          },
        ),
        300,
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  test('answers DELETE of any id with 204, 404 or (too long) 414, never a 5xx', async () => {
    await checkProperty(
      fc.asyncProperty(hostileText, async (id) => {
        const response = await app.inject({
          method: 'DELETE',
          url: `/__admin/clients/${encodeURIComponent(wellFormed(id))}`,
        });
        expect([204, 404, 414]).toContain(response.statusCode);
      }),
      100,
    );
  });
});

/** Client assertions of every wrong shape: claims, headers and signatures an attacker picks. */
const assertion = fc
  .record({
    iss: fc.oneof(fc.constant('fuzz-hmac'), hostileText.map(wellFormed)),
    sub: fc.oneof(fc.constant('fuzz-hmac'), hostileText.map(wellFormed)),
    aud: fc.oneof(
      fc.constant(`${ISSUER}/protocol/openid-connect/token`),
      hostileText.map(wellFormed),
    ),
    exp: fc.oneof(
      fc.integer({ min: -1e10, max: 1e10 }),
      fc.constant(Math.floor(Date.now() / 1000) + 60),
    ),
    jti: fc.option(hostileText.map(wellFormed)),
    alg: fc.constantFrom('HS256', 'HS512', 'RS256'),
    kid: fc.option(hostileText.map(wellFormed)),
  })
  .map(async ({ alg, kid, jti, ...claims }) => {
    const key = new TextEncoder().encode(
      alg === 'HS256' ? SECRET : `${SECRET}-${alg}-wrong-key-material-padding`,
    );
    return new SignJWT({ ...claims, ...(jti === null ? {} : { jti }) })
      .setProtectedHeader({
        alg: alg === 'RS256' ? 'HS256' : alg,
        ...(kid === null ? {} : { kid }),
      })
      .sign(key);
  });

describe('JWT client authentication under fuzzed assertions', () => {
  test(
    'answers a token or an OAuth error, never a 5xx',
    async () => {
      await checkProperty(
        fc.asyncProperty(
          assertion,
          fc.constantFrom('token', 'token/introspect', 'revoke'),
          async (signing, path) => {
            const response = await app.inject({
              method: 'POST',
              url: `${OIDC}/${path}`,
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              payload: new URLSearchParams({
                grant_type: 'client_credentials',
                token: 'x',
                client_assertion_type: JWT_BEARER,
                client_assertion: await signing,
              }).toString(),
            });
            expect(response.statusCode).toBeLessThan(500);
            if (response.statusCode >= 400) expectOAuthError(response);
          },
        ),
        300,
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

describe('device authorization, CIBA and registration under fuzzed input', () => {
  test(
    'answer the OAuth error shape, never a 5xx',
    async () => {
      const request = fc.record({
        method: fc.constant('POST' as const),
        url: fc.constantFrom(
          `${OIDC}/auth/device`,
          `${OIDC}/ext/ciba/auth`,
          '/auth/realms/nextgen/clients-registrations/openid-connect',
        ),
        headers: fc
          .record({ 'content-type': contentType, authorization: authorizationHeader() })
          .map(headers),
        payload: anyBody(['client_id', 'client_secret', 'scope', 'login_hint', 'client_assertion']),
      });
      await checkProperty(
        fc.asyncProperty(request, async (fuzzed) => {
          const response = await send(app, fuzzed);
          expect(response.statusCode).toBeLessThan(500);
          expectOAuthError(response);
        }),
        300,
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});
