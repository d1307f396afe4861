// @vitest-environment happy-dom
import { describe, expect, test, vi } from 'vitest';
import { workerFixture } from '../test-support/worker-fixture.js';
import { startRecordApp } from './record-app.js';

async function openPopup() {
  const fixture = await workerFixture();
  fixture.api.runtime.onMessage.addListener((message) => fixture.worker.onMessage(message));
  const root = document.createElement('div');
  document.body.replaceChildren(root);
  await startRecordApp(fixture.api, root, 'popup');
  const byTestId = (id: string) => root.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  return { ...fixture, root, byTestId };
}

describe('record app', () => {
  test('offers to connect when nobody is signed in', async () => {
    const { byTestId } = await openPopup();
    expect(byTestId('connect')?.textContent).toBe('Connect');
  });

  test('shows a closed sign-in window as a sentence with a retry button', async () => {
    const { api, byTestId } = await openPopup();
    api.webAuthFlow = () => Promise.reject(new Error('The user did not approve access.'));
    byTestId('connect')?.click();
    await vi.waitFor(() => expect(byTestId('error')).not.toBeNull());
    expect(byTestId('error')?.querySelector('p')?.textContent).toBe(
      'The sign-in window was closed before you finished signing in.',
    );
    expect(byTestId('retry')?.textContent).toBe('Try again');
  });

  test('asks the server for its login page when connecting', async () => {
    const { api, byTestId } = await openPopup();
    api.webAuthFlow = () => Promise.reject(new Error('The user did not approve access.'));
    byTestId('connect')?.click();
    await vi.waitFor(() => expect(api.launchedUrls).toHaveLength(1));
    expect(new URL(api.launchedUrls[0] ?? '').searchParams.get('prompt')).toBe('login');
  });

  test('shows the last sign-in error to a popup opened after the sign-in failed', async () => {
    const fixture = await workerFixture();
    fixture.api.webAuthFlow = () =>
      Promise.reject(new Error('Authorization page could not be loaded.'));
    await fixture.worker.onMessage({ type: 'signIn', payload: {} });
    fixture.api.runtime.onMessage.addListener((message) => fixture.worker.onMessage(message));
    const root = document.createElement('div');
    await startRecordApp(fixture.api, root, 'popup');
    expect(root.querySelector('[data-testid="error"]')?.getAttribute('data-code')).toBe(
      'ERR_SIGN_IN_PAGE_UNAVAILABLE',
    );
  });
});
