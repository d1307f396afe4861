import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SignJWT, generateKeyPair } from 'jose';
import type { FastifyInstance } from 'fastify';
import { AdjustableClock } from '../clock.js';
import { InvalidTokenError } from '../access.js';
import { loadSigningKeys } from './keys.js';
import { IdentityStore } from './sessions/store.js';
import { RealmTokenVerifier } from './verifier.js';
import { signIn, testApp } from '../test-support/identity-flow.js';

let app: FastifyInstance;
let clock: AdjustableClock;
let token: string;

beforeAll(async () => {
  ({ app, clock } = await testApp());
  token = String((await signIn(app)).tokens.access_token);
});
afterAll(() => app.close());

function verifier(store = new IdentityStore(), ownClock = clock) {
  return new RealmTokenVerifier(() => loadSigningKeys(undefined), store, ownClock);
}

async function reason(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InvalidTokenError);
  return (error as InvalidTokenError).reason;
}

describe('RealmTokenVerifier', () => {
  test('resolves the grant of a realm token', async () => {
    const grant = await verifier().verify(token);
    expect(grant).toMatchObject({
      patient: '428946492',
      personId: '4007449',
      clientId: 'yourHealthFile',
    });
    expect(grant.scopes.map((scope) => scope.raw)).toContain('patient/Patient.read');
  });

  test('answers the same grant object from its cache the second time', async () => {
    const subject = verifier();
    expect(await subject.verify(token)).toBe(await subject.verify(token));
  });

  test('remembers a token only once its signature was verified', async () => {
    const subject = verifier();
    expect(subject.remembers(token)).toBe(false);
    await subject.verify(token);
    expect(subject.remembers(token)).toBe(true);
    expect(subject.remembers(`${token}x`)).toBe(false);
  });

  test('rejects a cached token once the clock passes its expiry', async () => {
    const ownClock = new AdjustableClock();
    const subject = verifier(new IdentityStore(), ownClock);
    await subject.verify(token);
    ownClock.advance(301_000);
    expect(await reason(subject.verify(token))).toBe('expired');
  });

  test('rejects a missing token', async () => {
    expect(await reason(verifier().verify(''))).toBe('missing');
  });

  test('rejects a malformed token', async () => {
    expect(await reason(verifier().verify('abc'))).toBe('malformed');
  });

  test('rejects a token signed by another key', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({
      typ: 'Bearer',
      jti: 'x',
      sub: 's',
      azp: 'c',
      patient: 'p',
      fhirUser: 'Person/1',
    })
      .setProtectedHeader({ alg: 'RS256' })
      .setExpirationTime('5m')
      .sign(privateKey);
    expect(await reason(verifier().verify(forged))).toBe('invalid');
  });

  test('rejects a token revoked after it was cached', async () => {
    const { app: own } = await testApp();
    const { tokens } = await signIn(own);
    const access = String(tokens.access_token);
    const userinfo = () =>
      own.inject({
        url: '/auth/realms/nextgen/protocol/openid-connect/userinfo',
        headers: { authorization: `Bearer ${access}` },
      });
    expect((await userinfo()).statusCode).toBe(200);
    await own.inject({ method: 'POST', url: '/__admin/reset' });
    expect((await userinfo()).statusCode).toBe(401);
    await own.close();
  });

  test('refuses a realm-signed token whose aud names another FHIR server, even once cached', async () => {
    const keys = await loadSigningKeys(undefined);
    const claims = {
      typ: 'Bearer',
      jti: 'aud-1',
      sub: 's',
      azp: 'c',
      patient: 'p',
      fhirUser: 'Person/1',
      scope: 'openid',
      iss: 'http://localhost:80/auth/realms/nextgen',
      aud: 'https://other.example/fhir/r4',
    };
    const signed = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: keys.kid })
      .setExpirationTime('5m')
      .sign(keys.signingKey);
    const subject = verifier();
    const recipient = {
      issuer: 'http://localhost:80/auth/realms/nextgen',
      audience: 'http://localhost:80/api/fhir/r4',
    };
    await subject.verify(signed);
    expect(await reason(subject.verify(signed, recipient))).toBe('audience');
  });

  test('refuses a token of this realm presented at another origin as of another issuer', async () => {
    const recipient = {
      issuer: 'http://127.0.0.1:8765/auth/realms/nextgen',
      audience: 'http://127.0.0.1:8765/api/fhir/r4',
    };
    expect(await reason(verifier().verify(token, recipient))).toBe('issuer');
  });
});
