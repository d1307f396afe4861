import type { CryptoKey, JWK } from 'jose';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { beforeAll, describe, expect, test } from 'vitest';
import { verifyIdToken } from './id-token.js';
import { mockProfile } from './server-profile.js';
import { fakeFetch, json } from './test-support/fake-fetch.js';

const profile = mockProfile('http://127.0.0.1:8080');
const NOW = Date.UTC(2024, 0, 15, 12, 0, 0);
const clock = (): number => NOW;
const clientId = 'yourHealthFile';

let signingKey: CryptoKey;
let otherKey: CryptoKey;
let publicJwk: JWK;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  signingKey = pair.privateKey;
  otherKey = (await generateKeyPair('RS256')).privateKey;
  publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
});

function jwksServer() {
  return fakeFetch({ [`GET ${profile.jwksUri}`]: () => json({ keys: [publicJwk] }) });
}

async function idToken(
  claims: Record<string, unknown> = {},
  { kid = 'k1', key = signingKey }: { kid?: string; key?: CryptoKey } = {},
): Promise<string> {
  const iat = Math.floor(NOW / 1000);
  return new SignJWT({
    iss: profile.issuer,
    aud: clientId,
    sub: 'f:1:DavidFHIR',
    iat,
    exp: iat + 300,
    nonce: 'n-1',
    fhirUser: 'Person/4007449',
    ...claims,
  })
    .setProtectedHeader({ alg: 'RS256', kid })
    .sign(key);
}

describe('verifyIdToken', () => {
  test('returns the claims of a valid token, fhirUser included', async () => {
    const claims = await verifyIdToken(await idToken(), {
      profile,
      clientId,
      nonce: 'n-1',
      fetch: jwksServer().fetch,
      clock,
    });
    expect(claims).toMatchObject({ sub: 'f:1:DavidFHIR', fhirUser: 'Person/4007449' });
  });

  test('rejects a token for another audience', async () => {
    const token = await idToken({ aud: 'another-app' });
    await expect(
      verifyIdToken(token, { profile, clientId, fetch: jwksServer().fetch, clock }),
    ).rejects.toMatchObject({
      code: 'ERR_ID_TOKEN_INVALID',
      reason: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
    });
  });

  test('rejects a token with another nonce', async () => {
    await expect(
      verifyIdToken(await idToken(), {
        profile,
        clientId,
        nonce: 'n-2',
        fetch: jwksServer().fetch,
        clock,
      }),
    ).rejects.toMatchObject({ code: 'ERR_ID_TOKEN_INVALID', reason: 'ERR_ID_TOKEN_NONCE' });
  });

  test('rejects a token that expired by the injected clock', async () => {
    const token = await idToken();
    await expect(
      verifyIdToken(token, {
        profile,
        clientId,
        fetch: jwksServer().fetch,
        clock: () => NOW + 10 * 60_000,
      }),
    ).rejects.toMatchObject({ code: 'ERR_ID_TOKEN_INVALID', reason: 'ERR_JWT_EXPIRED' });
  });

  test('rejects a token signed with an unknown kid', async () => {
    const token = await idToken({}, { kid: 'rotated-away' });
    await expect(
      verifyIdToken(token, { profile, clientId, fetch: jwksServer().fetch, clock }),
    ).rejects.toMatchObject({ code: 'ERR_ID_TOKEN_INVALID', reason: 'ERR_JWKS_NO_MATCHING_KEY' });
  });

  test('rejects a token whose signature does not match the published key', async () => {
    const token = await idToken({}, { key: otherKey });
    await expect(
      verifyIdToken(token, { profile, clientId, fetch: jwksServer().fetch, clock }),
    ).rejects.toMatchObject({
      code: 'ERR_ID_TOKEN_INVALID',
      reason: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    });
  });

  test('rejects a token from another issuer', async () => {
    const token = await idToken({ iss: 'https://evil.example/realms/x' });
    await expect(
      verifyIdToken(token, { profile, clientId, fetch: jwksServer().fetch, clock }),
    ).rejects.toMatchObject({
      code: 'ERR_ID_TOKEN_INVALID',
      reason: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
    });
  });

  test('rejects a string that is not a JWT', async () => {
    await expect(
      verifyIdToken('not-a-jwt', { profile, clientId, fetch: jwksServer().fetch, clock }),
    ).rejects.toMatchObject({ code: 'ERR_ID_TOKEN_INVALID' });
  });
});
