import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { buildApp } from '../app.js';
import { YOUR_HEALTH_FILE_CLIENT } from '../config.js';
import {
  CLIENT_SECRET,
  ISSUER,
  obtainCode,
  OIDC,
  REDIRECT_URI,
  testApp,
  tokenRequest,
} from '../test-support/identity-flow.js';
import { ID_TOKEN_ALGS } from './algorithm-keys.js';

let app: FastifyInstance;
let jwks: JSONWebKeySet;

const clientOf = (alg: string) => `app-${alg}`;

beforeAll(async () => {
  ({ app } = await testApp({
    clients: ID_TOKEN_ALGS.map((alg) => ({
      ...YOUR_HEALTH_FILE_CLIENT,
      clientId: clientOf(alg),
      idTokenSignedResponseAlg: alg,
    })),
  }));
  jwks = (await app.inject({ method: 'GET', url: `${OIDC}/certs` })).json<JSONWebKeySet>();
});
afterAll(() => app.close());

async function idTokenOf(alg: string): Promise<string> {
  const clientId = clientOf(alg);
  const { code, pkce } = await obtainCode(app, { params: { client_id: clientId } });
  const response = await tokenRequest(
    app,
    {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: pkce.verifier,
    },
    { clientId, secret: CLIENT_SECRET },
  );
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ id_token: string }>().id_token;
}

describe('id_token_signed_response_alg', () => {
  test('the JWKS publishes the RS256 key first and one key for every other asymmetric algorithm', () => {
    const algs = jwks.keys.map((key) => key.alg);
    expect(algs[0]).toBe('RS256');
    expect(new Set(algs)).toEqual(new Set(ID_TOKEN_ALGS.filter((alg) => !alg.startsWith('HS'))));
    for (const key of jwks.keys) {
      expect(key).toMatchObject({ use: 'sig' });
      expect(key.kid).toBeTruthy();
      expect(key).not.toHaveProperty('d');
    }
  });

  test.each(ID_TOKEN_ALGS)('signs the ID tokens of a client registered with %s', async (alg) => {
    const idToken = await idTokenOf(alg);
    expect(decodeProtectedHeader(idToken).alg).toBe(alg);
    const key = alg.startsWith('HS')
      ? new TextEncoder().encode(CLIENT_SECRET)
      : createLocalJWKSet(jwks);
    const { payload } = await jwtVerify(idToken, key as Parameters<typeof jwtVerify>[1], {
      issuer: ISSUER,
      audience: clientOf(alg),
      algorithms: [alg],
    });
    expect(payload.typ).toBe('ID');
  });

  test('refuses a configuration with an algorithm the realm does not advertise', async () => {
    await expect(
      buildApp({ clients: [{ ...YOUR_HEALTH_FILE_CLIENT, idTokenSignedResponseAlg: 'none' }] }),
    ).rejects.toThrow(RangeError);
  });

  test('refuses HMAC ID tokens for a public client, which has no secret to key them', async () => {
    await expect(
      buildApp({
        clients: [{ ...YOUR_HEALTH_FILE_CLIENT, secrets: [], idTokenSignedResponseAlg: 'HS256' }],
      }),
    ).rejects.toThrow('HS256 ID tokens need a client secret');
  });
});
