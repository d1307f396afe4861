import { describe, expect, test } from 'vitest';
import { GUIDE_CLIENT } from '../../../test-support/guide.js';
import { NEXTGEN_PRODUCTION } from './server-profile.js';
import { fakeFetch, guideTokenResponse, json } from './test-support/fake-fetch.js';
import type { SmartTokenSet } from './token-response.js';
import { parseTokenResponse } from './token-response.js';
import { DEFAULT_TOKEN_STORAGE_KEY, MemoryTokenStorage, TokenSession } from './token-session.js';

const profile = NEXTGEN_PRODUCTION;
const TOKEN = `POST ${profile.tokenEndpoint}`;
const REVOKE = `POST ${profile.revocationEndpoint}`;
const client = GUIDE_CLIENT;
const NOW = Date.UTC(2024, 0, 15, 12, 0, 0);

function tokens(overrides: Record<string, unknown> = {}, at = NOW): SmartTokenSet {
  return parseTokenResponse(
    guideTokenResponse({ access_token: 'at-old', refresh_token: 'rt-old', ...overrides }),
    { now: at },
  );
}

function setup(routes: Parameters<typeof fakeFetch>[0], time = { now: NOW }) {
  const server = fakeFetch(routes);
  const storage = new MemoryTokenStorage();
  const session = new TokenSession({
    profile,
    client,
    storage,
    fetch: server.fetch,
    clock: () => time.now,
  });
  return { server, storage, session, time };
}

describe('TokenSession', () => {
  test('returns the stored access token while it is fresh', async () => {
    const { session, server } = setup({});
    await session.store(tokens());
    expect(await session.getAccessToken()).toBe('at-old');
    expect(server.requests).toHaveLength(0);
  });

  test('refreshes when the access token expires within the skew', async () => {
    const { session, server, time } = setup({
      [TOKEN]: () => json(guideTokenResponse({ access_token: 'at-new', refresh_token: 'rt-new' })),
    });
    await session.store(tokens());
    time.now = NOW + 250_000;
    expect(await session.getAccessToken()).toBe('at-new');
    expect(new URLSearchParams(server.calls(TOKEN)[0]?.body).get('refresh_token')).toBe('rt-old');
  });

  test('makes concurrent callers share one refresh request', async () => {
    const { session, server, time } = setup({
      [TOKEN]: () => json(guideTokenResponse({ access_token: 'at-new', refresh_token: 'rt-new' })),
    });
    await session.store(tokens());
    time.now = NOW + 400_000;
    const results = await Promise.all([
      session.getAccessToken(),
      session.getAccessToken(),
      session.refresh(),
      session.getAccessToken(),
    ]);
    expect(server.calls(TOKEN)).toHaveLength(1);
    expect(results.map((r) => (typeof r === 'string' ? r : r.accessToken))).toEqual([
      'at-new',
      'at-new',
      'at-new',
      'at-new',
    ]);
  });

  test('shares one refresh between two sessions over the same storage', async () => {
    const { session, storage, server } = setup({
      [TOKEN]: () => json(guideTokenResponse({ refresh_token: 'rt-new' })),
    });
    const twin = new TokenSession({ profile, client, storage, fetch: server.fetch });
    await session.store(tokens());
    await Promise.all([session.refresh(), twin.refresh()]);
    expect(server.calls(TOKEN)).toHaveLength(1);
  });

  test('keeps the rotated refresh token', async () => {
    const { session } = setup({
      [TOKEN]: () => json(guideTokenResponse({ access_token: 'at-new', refresh_token: 'rt-new' })),
    });
    await session.store(tokens());
    await session.refresh();
    expect((await session.current())?.refreshToken).toBe('rt-new');
  });

  test('keeps the old refresh token when the response carries none', async () => {
    const { session } = setup({
      [TOKEN]: () =>
        json(
          guideTokenResponse({
            access_token: 'at-new',
            refresh_token: undefined,
            patient: undefined,
          }),
        ),
    });
    await session.store(tokens());
    const refreshed = await session.refresh();
    expect(refreshed).toMatchObject({
      accessToken: 'at-new',
      refreshToken: 'rt-old',
      patient: '428946492',
    });
  });

  test('ends the session with ERR_NOT_SIGNED_IN when the refresh token is rejected', async () => {
    const { session } = setup({
      [TOKEN]: () =>
        json({ error: 'invalid_grant', error_description: 'Token is not active' }, 400),
    });
    await session.store(tokens());
    await expect(session.refresh()).rejects.toMatchObject({ code: 'ERR_NOT_SIGNED_IN' });
    expect(await session.current()).toBeUndefined();
  });

  test('keeps the session when a refresh fails for a network error', async () => {
    const { session } = setup({});
    await session.store(tokens());
    await expect(session.refresh()).rejects.toMatchObject({ code: 'ERR_NETWORK' });
    expect((await session.current())?.refreshToken).toBe('rt-old');
  });

  test('does not present a refresh token past its expiry', async () => {
    const { session, server, time } = setup({});
    await session.store(tokens());
    time.now = NOW + 1_800_001;
    await expect(session.getAccessToken()).rejects.toMatchObject({ code: 'ERR_NOT_SIGNED_IN' });
    expect(server.requests).toHaveLength(0);
  });

  test('fails with ERR_NOT_SIGNED_IN when nothing is stored', async () => {
    const { session } = setup({});
    await expect(session.getAccessToken()).rejects.toMatchObject({ code: 'ERR_NOT_SIGNED_IN' });
  });

  test('treats an unreadable stored value as signed out and removes it', async () => {
    const { session, storage } = setup({});
    await storage.set(DEFAULT_TOKEN_STORAGE_KEY, '{not json');
    expect(await session.current()).toBeUndefined();
    expect(await storage.get(DEFAULT_TOKEN_STORAGE_KEY)).toBeUndefined();
  });

  test('revokes the refresh and access tokens on sign-out and clears storage', async () => {
    const { session, server } = setup({ [REVOKE]: () => new Response(null, { status: 200 }) });
    await session.store(tokens());
    await session.signOut();
    const revoked = server
      .calls(REVOKE)
      .map((r) => Object.fromEntries(new URLSearchParams(r.body)));
    expect(revoked).toEqual(
      expect.arrayContaining([
        { token: 'rt-old', token_type_hint: 'refresh_token' },
        { token: 'at-old', token_type_hint: 'access_token' },
      ]),
    );
    expect(await session.current()).toBeUndefined();
  });

  test('clears storage even when revocation fails, then reports the failure', async () => {
    const { session } = setup({ [REVOKE]: () => json({ error: 'invalid_client' }, 400) });
    await session.store(tokens());
    await expect(session.signOut()).rejects.toMatchObject({
      code: 'ERR_OAUTH',
      error: 'invalid_client',
    });
    expect(await session.current()).toBeUndefined();
  });
});
