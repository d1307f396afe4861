import { mockProfile } from '@patient-access/auth-core';
import { describe, expect, test } from 'vitest';
import { callWorker, WorkerError } from './messages.js';
import { workerFixture } from './test-support/worker-fixture.js';
import { REFRESH_ALARM, REFRESH_LEAD_MS, type WorkerHandlers } from './worker.js';

describe('service worker', () => {
  test('refreshes once when several pages ask for an expired access token at the same time', async () => {
    const { worker, server } = await workerFixture();
    await worker.handlers.signIn({});
    server.now += 10 * 60_000;
    const grants = await Promise.all([
      worker.handlers.accessToken(),
      worker.handlers.accessToken(),
      worker.handlers.accessToken(),
    ]);
    expect(server.refreshCount).toBe(1);
    expect(new Set(grants.map((grant) => grant.accessToken)).size).toBe(1);
  });

  test('refreshes when a page reports that the FHIR server refused the current token', async () => {
    const { worker, server } = await workerFixture();
    await worker.handlers.signIn({});
    const { accessToken } = await worker.handlers.accessToken();
    const retried = await worker.handlers.accessToken({ rejected: [accessToken] });
    expect(retried.accessToken).not.toBe(accessToken);
    expect(server.refreshCount).toBe(1);
  });

  test('shares one refresh between pages that report the same refused token at once', async () => {
    const { worker, server } = await workerFixture();
    await worker.handlers.signIn({});
    const { accessToken } = await worker.handlers.accessToken();
    const grants = await Promise.all(
      [1, 2, 3].map(() => worker.handlers.accessToken({ rejected: [accessToken] })),
    );
    expect(server.refreshCount).toBe(1);
    expect(new Set(grants.map((grant) => grant.accessToken)).size).toBe(1);
  });

  test('does not refresh again for a refused token that was already replaced', async () => {
    const { worker, server } = await workerFixture();
    await worker.handlers.signIn({});
    const { accessToken } = await worker.handlers.accessToken();
    await worker.handlers.accessToken({ rejected: [accessToken] });
    await worker.handlers.accessToken({ rejected: [accessToken] });
    expect(server.refreshCount).toBe(1);
  });

  test('schedules the refresh alarm a minute before the access token expires', async () => {
    const { api, worker, server } = await workerFixture();
    await worker.handlers.signIn({});
    expect(api.alarmsCreated.get(REFRESH_ALARM)).toEqual({
      when: server.now + 300_000 - REFRESH_LEAD_MS,
    });
  });

  test('refreshes the tokens when the refresh alarm fires', async () => {
    const { worker, server } = await workerFixture();
    await worker.handlers.signIn({});
    const before = await worker.handlers.accessToken();
    server.now += 4 * 60_000;
    await worker.onAlarm({ name: REFRESH_ALARM });
    expect(server.refreshCount).toBe(1);
    expect((await worker.handlers.accessToken()).accessToken).not.toBe(before.accessToken);
  });

  test('revokes the tokens and clears storage on sign-out', async () => {
    const { api, worker, server } = await workerFixture({ staySignedIn: true });
    await worker.handlers.signIn({});
    const { accessToken } = await worker.handlers.accessToken();
    const result = await worker.handlers.signOut();
    expect(result).toEqual({ revoked: true, error: undefined });
    expect(server.revoked).toContain(accessToken);
    expect(server.revoked.some((token) => token.startsWith('refresh-'))).toBe(true);
    expect([...api.storage.session.data.keys()]).toEqual([]);
    expect([...api.storage.local.data.keys()]).toEqual(['settings']);
    expect(api.alarmsCreated.has(REFRESH_ALARM)).toBe(false);
  });

  test('clears storage on sign-out even when the server cannot be reached', async () => {
    const { api, worker, server } = await workerFixture();
    await worker.handlers.signIn({});
    server.revocationDown = true;
    const result = await worker.handlers.signOut();
    expect(result.revoked).toBe(false);
    expect(result.error?.code).toBe('ERR_NETWORK');
    expect(api.storage.session.data.has('tokens')).toBe(false);
    expect((await worker.handlers.status()).signedIn).toBe(false);
  });

  test('answers a closed sign-in window with a plain sentence and remembers it for the popup', async () => {
    const { api, worker } = await workerFixture();
    api.webAuthFlow = () => Promise.reject(new Error('The user did not approve access.'));
    const reply = await worker.onMessage({ type: 'signIn', payload: {} });
    expect(reply).toEqual({
      ok: false,
      error: {
        code: 'ERR_SIGN_IN_CANCELLED',
        message: 'The sign-in window was closed before you finished signing in.',
      },
    });
    expect((await worker.handlers.status()).lastError?.code).toBe('ERR_SIGN_IN_CANCELLED');
    expect(api.storage.session.data.has('pendingSignIn')).toBe(false);
  });

  test('reports a sign-in page that cannot load as the server being unreachable', async () => {
    const { api, worker } = await workerFixture();
    api.webAuthFlow = () => Promise.reject(new Error('Authorization page could not be loaded.'));
    const reply = await worker.onMessage({ type: 'signIn', payload: {} });
    expect(reply).toMatchObject({ ok: false, error: { code: 'ERR_SIGN_IN_PAGE_UNAVAILABLE' } });
  });

  test('reports a server that is down before opening the sign-in window', async () => {
    const { api, worker, server } = await workerFixture();
    server.serverDown = true;
    const reply = await worker.onMessage({ type: 'signIn', payload: {} });
    expect(reply).toMatchObject({ ok: false, error: { code: 'ERR_NETWORK' } });
    expect(api.launchedUrls).toHaveLength(0);
    expect(api.storage.session.data.has('pendingSignIn')).toBe(false);
  });

  test('refuses to sign in to a stored custom server on plain http off loopback', async () => {
    const { api, worker } = await workerFixture({
      server: 'custom',
      customProfile: mockProfile('http://fhir.example.org'),
    });
    const reply = await worker.onMessage({ type: 'signIn', payload: {} });
    expect(reply).toMatchObject({ ok: false, error: { code: 'ERR_PROFILE_INVALID' } });
    expect(api.launchedUrls).toHaveLength(0);
    expect(api.storage.session.data.has('pendingSignIn')).toBe(false);
  });

  test('reports a revoked refresh token as signed out', async () => {
    const { worker, server } = await workerFixture();
    await worker.handlers.signIn({});
    server.endSessions();
    server.now += 10 * 60_000;
    const reply = await worker.onMessage({ type: 'accessToken' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'ERR_NOT_SIGNED_IN' } });
    expect((await worker.handlers.status()).signedIn).toBe(false);
  });

  test('answers a message for no handler with ERR_UNKNOWN_MESSAGE', async () => {
    const { worker } = await workerFixture();
    expect(await worker.onMessage({ type: 'launchMissiles' })).toEqual({
      ok: false,
      error: {
        code: 'ERR_UNKNOWN_MESSAGE',
        message: 'The extension received a message it does not know.',
      },
    });
  });

  test('rejects on the calling side with the error code the worker sent', async () => {
    const { api, worker } = await workerFixture();
    api.runtime.onMessage.addListener((message) => worker.onMessage(message));
    const call = callWorker<WorkerHandlers, 'accessToken'>(api, 'accessToken');
    await expect(call).rejects.toBeInstanceOf(WorkerError);
    await expect(call).rejects.toMatchObject({ code: 'ERR_NOT_SIGNED_IN' });
  });
});
