import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { FORM_HEADERS } from '../../../../test-support/cookie-jar.js';
import type { AdjustableClock } from '../clock.js';
import { ISSUER, OIDC, testApp } from '../test-support/identity-flow.js';
import { JWT_BEARER } from './client-assertion.js';

const TOKEN_ENDPOINT = `${ISSUER}/protocol/openid-connect/token`;
const SECRET = 'a-client-secret-of-at-least-32-characters';

let app: FastifyInstance;
let clock: AdjustableClock;
let es384: { privateKey: CryptoKey; jwk: JWK };
let rs256: { privateKey: CryptoKey; jwk: JWK };
let jwksServer: Server;
let jwksUri: string;
let served: { keys: JWK[] };
let fetches = 0;

async function keyPair(alg: string, kid: string) {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, use: 'sig', alg } };
}

beforeAll(async () => {
  ({ app, clock } = await testApp());
  es384 = await keyPair('ES384', 'es-1');
  rs256 = await keyPair('RS256', 'rs-1');
  served = { keys: [rs256.jwk] };
  jwksServer = createServer((_request, response) => {
    fetches += 1;
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(served));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  jwksUri = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks`;
});
afterAll(async () => {
  await app.close();
  await new Promise((resolve) => jwksServer.close(resolve));
});
beforeEach(async () => {
  await app.inject({ method: 'POST', url: '/__admin/reset' });
  served = { keys: [rs256.jwk] };
  for (const metadata of [
    {
      client_id: 'inline-keys',
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [es384.jwk, { ...rs256.jwk, use: undefined, kid: 'no-use' }] },
      grant_types: ['client_credentials'],
    },
    {
      client_id: 'fetched-keys',
      token_endpoint_auth_method: 'private_key_jwt',
      jwks_uri: jwksUri,
      grant_types: ['client_credentials'],
    },
    {
      client_id: 'hmac',
      token_endpoint_auth_method: 'client_secret_jwt',
      client_secret: SECRET,
      grant_types: ['client_credentials'],
    },
  ]) {
    const response = await app.inject({
      method: 'POST',
      url: '/__admin/clients',
      payload: metadata,
    });
    expect(response.statusCode).toBe(201);
  }
});

interface AssertionOptions {
  clientId?: string;
  key?: CryptoKey | Uint8Array;
  alg?: string;
  kid?: string | undefined;
  claims?: Record<string, unknown>;
  expiresIn?: number | undefined;
}

function assertion(options: AssertionOptions = {}): Promise<string> {
  const clientId = options.clientId ?? 'inline-keys';
  const now = Math.floor(clock.now() / 1000);
  const alg = options.alg ?? 'ES384';
  const jwt = new SignJWT({
    iss: clientId,
    sub: clientId,
    aud: TOKEN_ENDPOINT,
    jti: crypto.randomUUID(),
    iat: now,
    ...(options.expiresIn === undefined ? {} : { exp: now + options.expiresIn }),
    ...options.claims,
  }).setProtectedHeader({
    alg,
    typ: 'JWT',
    ...('kid' in options ? (options.kid ? { kid: options.kid } : {}) : { kid: 'es-1' }),
  });
  return jwt.sign(options.key ?? es384.privateKey);
}

async function introspect(form: Record<string, string>) {
  return app.inject({
    method: 'POST',
    url: `${OIDC}/token/introspect`,
    payload: new URLSearchParams({ token: 'not-a-token', ...form }).toString(),
    headers: FORM_HEADERS,
  });
}

async function withAssertion(options: AssertionOptions = {}) {
  return introspect({
    client_assertion_type: JWT_BEARER,
    client_assertion: await assertion({ expiresIn: 60, ...options }),
  });
}

function expectFailure(
  response: Awaited<ReturnType<typeof introspect>>,
  status: number,
  error: string,
  description: string,
) {
  expect(response.statusCode).toBe(status);
  expect(response.json()).toEqual({ error, error_description: description });
}

const SIGNED_JWT = 'Client authentication with signed JWT failed: ';

describe('private_key_jwt client authentication', () => {
  test('accepts an ES384 assertion signed with a registered key', async () => {
    const response = await withAssertion();
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ active: false });
  });

  test('accepts the issuer as the audience, as Keycloak does', async () => {
    const response = await withAssertion({ claims: { aud: ISSUER } });
    expect(response.statusCode).toBe(200);
  });

  test('authenticates at the revocation endpoint too', async () => {
    const response = await app.inject({
      method: 'POST',
      url: `${OIDC}/revoke`,
      payload: new URLSearchParams({
        token: 'not-a-token',
        client_assertion_type: JWT_BEARER,
        client_assertion: await assertion({ expiresIn: 60 }),
      }).toString(),
      headers: FORM_HEADERS,
    });
    expect(response.statusCode).toBe(200);
  });

  test('fetches the keys of a jwks_uri client and chooses one by kid', async () => {
    const response = await withAssertion({
      clientId: 'fetched-keys',
      key: rs256.privateKey,
      alg: 'RS256',
      kid: 'rs-1',
    });
    expect(response.statusCode).toBe(200);
  });

  test('caches fetched keys and fetches again for an unknown kid after ten seconds', async () => {
    const options = { clientId: 'fetched-keys', key: rs256.privateKey, alg: 'RS256' };
    await withAssertion({ ...options, kid: 'rs-1' });
    const before = fetches;
    await withAssertion({ ...options, kid: 'rs-1' });
    expect(fetches).toBe(before);
    const rotated = await keyPair('RS384', 'rs-2');
    served = { keys: [rs256.jwk, rotated.jwk] };
    clock.advance(11_000);
    const response = await withAssertion({
      clientId: 'fetched-keys',
      key: rotated.privateKey,
      alg: 'RS384',
      kid: 'rs-2',
    });
    expect(response.statusCode).toBe(200);
    expect(fetches).toBe(before + 1);
  });

  test('refuses a kid the client has no key for', async () => {
    expectFailure(
      await withAssertion({ kid: 'unknown' }),
      400,
      'unauthorized_client',
      'Unable to load public key',
    );
  });

  test('ignores a key without "use", as Keycloak 17 does', async () => {
    expectFailure(
      await withAssertion({ key: rs256.privateKey, alg: 'RS256', kid: 'no-use' }),
      400,
      'unauthorized_client',
      'Unable to load public key',
    );
  });

  test('refuses an assertion signed by another key', async () => {
    const other = await keyPair('ES384', 'es-1');
    expectFailure(
      await withAssertion({ key: other.privateKey }),
      400,
      'invalid_client',
      `${SIGNED_JWT}Signature on JWT token failed validation`,
    );
  });

  test('refuses an HS256 assertion from a private_key_jwt client', async () => {
    expectFailure(
      await withAssertion({ key: new TextEncoder().encode(SECRET), alg: 'HS256' }),
      400,
      'invalid_client',
      `${SIGNED_JWT}Signature on JWT token failed validation`,
    );
  });

  test('refuses a missing client_assertion_type', async () => {
    expectFailure(
      await introspect({ client_assertion: await assertion({ expiresIn: 60 }) }),
      400,
      'invalid_client',
      'Parameter client_assertion_type is missing',
    );
  });

  test('refuses another client_assertion_type', async () => {
    expectFailure(
      await introspect({ client_assertion_type: 'urn:x', client_assertion: 'x' }),
      400,
      'invalid_client',
      `Parameter client_assertion_type has value 'urn:x' but expected is '${JWT_BEARER}'`,
    );
  });

  test('refuses a missing client_assertion', async () => {
    expectFailure(
      await introspect({ client_assertion_type: JWT_BEARER }),
      400,
      'invalid_client',
      'client_assertion parameter missing',
    );
  });

  test('refuses an assertion that is not a JWT', async () => {
    expectFailure(
      await introspect({ client_assertion_type: JWT_BEARER, client_assertion: 'garbage' }),
      400,
      'invalid_client',
      `${SIGNED_JWT}Parsing error`,
    );
  });

  test('refuses an issuer other than the subject', async () => {
    expectFailure(
      await withAssertion({ claims: { iss: 'someone-else' } }),
      400,
      'invalid_client',
      `${SIGNED_JWT}Issuer mismatch. The issuer should match the subject`,
    );
  });

  test('refuses a client_id parameter naming another client', async () => {
    const response = await introspect({
      client_id: 'fetched-keys',
      client_assertion_type: JWT_BEARER,
      client_assertion: await assertion({ expiresIn: 60 }),
    });
    expectFailure(
      response,
      400,
      'invalid_client',
      `${SIGNED_JWT}client_id parameter not matching with client from JWT token`,
    );
  });

  test('refuses another audience, listing the expected ones', async () => {
    const response = await withAssertion({ claims: { aud: 'https://elsewhere.example' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error_description).toBe(
      `${SIGNED_JWT}Token audience doesn't match domain. Expected audiences are any of [${ISSUER}, ${TOKEN_ENDPOINT}, ${ISSUER}/protocol/openid-connect/token/introspect, ${ISSUER}/protocol/openid-connect/ext/par/request, ${ISSUER}/protocol/openid-connect/ext/ciba/auth] but audience from token is '[https://elsewhere.example]'`,
    );
  });

  test('refuses an expired assertion', async () => {
    expectFailure(
      await withAssertion({ expiresIn: -1 }),
      400,
      'invalid_client',
      `${SIGNED_JWT}Token is not active`,
    );
  });

  test('refuses an assertion expiring more than five minutes ahead (SMART)', async () => {
    expectFailure(
      await withAssertion({ expiresIn: 301 }),
      400,
      'invalid_client',
      `${SIGNED_JWT}Token expires more than 300 seconds from now (SMART's limit)`,
    );
  });

  test('refuses an assertion without jti', async () => {
    expectFailure(
      await withAssertion({ claims: { jti: undefined } }),
      400,
      'invalid_client',
      `${SIGNED_JWT}Missing ID on the token`,
    );
  });

  test('refuses a replayed assertion', async () => {
    const used = await assertion({ expiresIn: 60 });
    const form = { client_assertion_type: JWT_BEARER, client_assertion: used };
    expect((await introspect(form)).statusCode).toBe(200);
    expectFailure(
      await introspect(form),
      400,
      'invalid_client',
      `${SIGNED_JWT}Token reuse detected`,
    );
  });

  test('refuses an assertion naming an unknown client', async () => {
    expectFailure(
      await withAssertion({ clientId: 'nobody' }),
      400,
      'unauthorized_client',
      'Invalid client credentials',
    );
  });

  test('refuses a client secret from a private_key_jwt client', async () => {
    expectFailure(
      await introspect({ client_id: 'inline-keys', client_secret: 'guess' }),
      400,
      'invalid_client',
      'Parameter client_assertion_type is missing',
    );
  });

  test('refuses an assertion from a client registered for a client secret', async () => {
    expectFailure(
      await withAssertion({ clientId: 'yourHealthFile' }),
      400,
      'invalid_client',
      'Invalid client credentials',
    );
  });
});

describe('client_secret_jwt client authentication', () => {
  const hmac = new TextEncoder().encode(SECRET);

  test('accepts an HS256 assertion signed with the client secret', async () => {
    const response = await withAssertion({
      clientId: 'hmac',
      key: hmac,
      alg: 'HS256',
      kid: undefined,
    });
    expect(response.statusCode).toBe(200);
  });

  test('refuses an assertion signed with another secret in Keycloak 17 words', async () => {
    expectFailure(
      await withAssertion({
        clientId: 'hmac',
        key: new TextEncoder().encode('another-secret-of-at-least-32-characters'),
        alg: 'HS256',
        kid: undefined,
      }),
      400,
      'unauthorized_client',
      'Client authentication with client secret signed JWT failed: Signature on JWT token by client secret  failed validation',
    );
  });

  test('refuses a replayed assertion', async () => {
    const used = await assertion({
      clientId: 'hmac',
      key: hmac,
      alg: 'HS256',
      kid: undefined,
      expiresIn: 60,
    });
    const form = { client_assertion_type: JWT_BEARER, client_assertion: used };
    expect((await introspect(form)).statusCode).toBe(200);
    expectFailure(
      await introspect(form),
      400,
      'unauthorized_client',
      'Client authentication with client secret signed JWT failed: Token reuse detected',
    );
  });
});
