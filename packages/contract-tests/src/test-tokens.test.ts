import { mockProfile, verifyIdToken } from '@patient-access/auth-core';
import { DEFAULT_PORT, startMockServer, type RunningMockServer } from '@patient-access/mock-server';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GUIDE_USERS, loginOf } from '../../../test-support/guide.js';
import { GUIDE_TEST_CLIENT } from './target.js';
import { DEFAULT_MOCK_URL, getTestTokens } from './test-tokens.js';

let mock: RunningMockServer;

beforeAll(async () => {
  mock = await startMockServer({ port: 0 });
});

afterAll(async () => {
  await mock.close();
});

describe('getTestTokens', () => {
  test('signs a test user in on a running mock and returns their tokens', async () => {
    const tokens = await getTestTokens({
      target: 'mock',
      mockUrl: mock.url,
      ...loginOf(GUIDE_USERS.anna),
    });
    expect(tokens.patient?.trim()).toBe('428946523');
    expect(tokens.refreshToken).toEqual(expect.any(String));
  });

  test("returns an ID token that verifies for the guide's test client", async () => {
    const tokens = await getTestTokens({
      target: 'mock',
      mockUrl: mock.url,
      ...loginOf(GUIDE_USERS.alex),
    });
    const claims = await verifyIdToken(tokens.idToken ?? '', {
      profile: mockProfile(mock.url),
      clientId: GUIDE_TEST_CLIENT.clientId,
    });
    expect(claims.iss).toBe(mock.issuer);
  });

  test('picks a dependent on the selection screen when asked', async () => {
    const tokens = await getTestTokens({
      target: 'mock',
      mockUrl: mock.url,
      ...loginOf(GUIDE_USERS.david),
      patient: '429119572',
    });
    expect(tokens.patient?.trim()).toBe('429119572');
  });

  test('rejects a wrong password with ERR_SIGN_IN_REJECTED', async () => {
    await expect(
      getTestTokens({
        target: 'mock',
        mockUrl: mock.url,
        username: GUIDE_USERS.anna.username,
        password: 'nope',
      }),
    ).rejects.toMatchObject({ code: 'ERR_SIGN_IN_REJECTED' });
  });

  test('asks for a client when the real target has neither one nor NGO_ variables', async () => {
    await expect(
      getTestTokens({ target: 'real', ...loginOf(GUIDE_USERS.david), env: {} }),
    ).rejects.toThrow('The real client needs NGO_CLIENT_ID, NGO_CLIENT_SECRET, NGO_REDIRECT_URI');
  });
});

describe('DEFAULT_MOCK_URL', () => {
  test('points at the port the mock bin listens on by default', () => {
    expect(new URL(DEFAULT_MOCK_URL).port).toBe(String(DEFAULT_PORT));
  });
});
