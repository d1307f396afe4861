import { describe, expect, test } from 'vitest';
import { beginSignIn, completeSignIn, loadPendingSignIn } from './sign-in.js';
import { workerFixture } from './test-support/worker-fixture.js';

describe('sign-in', () => {
  test('saves state, nonce and PKCE verifier to session storage before opening the auth window', async () => {
    const { api, worker } = await workerFixture();
    let pendingWhenLaunched: unknown;
    const approve = api.webAuthFlow;
    api.webAuthFlow = async (url) => {
      pendingWhenLaunched = (await api.storage.session.get('pendingSignIn')).pendingSignIn;
      return approve(url);
    };
    await worker.handlers.signIn({});
    const launched = new URL(api.launchedUrls[0] ?? '');
    expect(pendingWhenLaunched).toMatchObject({
      state: launched.searchParams.get('state'),
      nonce: launched.searchParams.get('nonce'),
      codeVerifier: expect.stringMatching(/^[A-Za-z0-9\-._~]{43,128}$/),
    });
  });

  test('completes a sign-in begun by a worker that has since been restarted', async () => {
    const { api, server, restart } = await workerFixture();
    const context = { api, fetch: server.fetch, clock: () => server.now };
    const url = await beginSignIn(context);
    const redirect = server.authorize(url.href);
    const restarted = { api, fetch: server.fetch, clock: () => server.now };
    const connection = await completeSignIn(restarted, redirect);
    expect(connection.patientId).toBe('428946492');
    expect((await restart().handlers.status()).signedIn).toBe(true);
  });

  test('rejects a callback with another state and forgets the pending sign-in', async () => {
    const { api, server } = await workerFixture();
    const context = { api, fetch: server.fetch, clock: () => server.now };
    const redirect = new URL(server.authorize((await beginSignIn(context)).href));
    redirect.searchParams.set('state', 'forged');
    await expect(completeSignIn(context, redirect.href)).rejects.toMatchObject({
      code: 'ERR_STATE_MISMATCH',
    });
    expect(await loadPendingSignIn(context)).toBeUndefined();
  });

  test('rejects an error callback as a refused authorization', async () => {
    const { api, server } = await workerFixture();
    const context = { api, fetch: server.fetch, clock: () => server.now };
    const url = await beginSignIn(context);
    const redirect = new URL(url.searchParams.get('redirect_uri') ?? '');
    redirect.searchParams.set('state', url.searchParams.get('state') ?? '');
    redirect.searchParams.set('error', 'access_denied');
    await expect(completeSignIn(context, redirect.href)).rejects.toMatchObject({
      code: 'ERR_AUTHORIZATION_DENIED',
    });
  });

  test('requests PKCE S256, the FHIR audience and a read scope per chosen record type', async () => {
    const { api, worker, server } = await workerFixture({
      resourceTypes: ['Condition', 'MedicationRequest'],
    });
    await worker.handlers.signIn({});
    const launched = new URL(api.launchedUrls[0] ?? '');
    expect(launched.searchParams.get('code_challenge_method')).toBe('S256');
    expect(launched.searchParams.get('aud')).toBe(server.profile.fhirBaseUrl);
    expect(launched.searchParams.get('scope')).toBe(
      'openid fhirUser launch/patient patient/Patient.read patient/Condition.read patient/MedicationRequest.read patient/Medication.read',
    );
  });

  test('keeps tokens in session storage only when not staying signed in', async () => {
    const { api, worker } = await workerFixture({ staySignedIn: false });
    await worker.handlers.signIn({});
    expect(api.storage.session.data.has('tokens')).toBe(true);
    expect(api.storage.local.data.has('tokens')).toBe(false);
  });

  test('writes the refresh token but never the access token to disk when staying signed in', async () => {
    const { api, worker } = await workerFixture({ staySignedIn: true });
    await worker.handlers.signIn({});
    const onDisk = JSON.parse(String(api.storage.local.data.get('tokens')));
    expect(onDisk.refreshToken).toMatch(/^refresh-/);
    expect(onDisk).not.toHaveProperty('accessToken');
    expect(onDisk).not.toHaveProperty('idToken');
    expect(JSON.stringify(onDisk)).not.toContain('access-');
  });

  test('resumes a stay-signed-in session after the browser restarts by refreshing', async () => {
    const { api, worker, server, restart } = await workerFixture({ staySignedIn: true });
    await worker.handlers.signIn({});
    api.storage.session.data.clear();
    const grant = await restart().handlers.accessToken();
    expect(grant.accessToken).toMatch(/^access-/);
    expect(server.refreshCount).toBe(1);
  });
});
