// @vitest-environment happy-dom
import { afterEach, describe, expect, test, vi } from 'vitest';
import { loadClientSecret, loadSettings } from '../settings.js';
import { FakeExtensionApi } from '../test-support/fake-extension-api.js';
import { startOptionsPage } from './options-page.js';

async function openOptions() {
  const api = new FakeExtensionApi();
  const root = document.createElement('div');
  document.body.replaceChildren(root);
  await startOptionsPage(api, root);
  const byTestId = <T extends HTMLElement>(id: string) =>
    root.querySelector<T>(`[data-testid="${id}"]`)!;
  const submit = async () => {
    byTestId<HTMLButtonElement>('save').click();
    await vi.waitFor(() => expect(byTestId('options-status').textContent).not.toBe(''));
  };
  return { api, root, byTestId, submit };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('options page', () => {
  test('shows the redirect URL derived from the fixed extension id', async () => {
    const { byTestId } = await openOptions();
    expect(byTestId<HTMLInputElement>('redirect-url').value).toBe(
      'https://bffbaicccggaljnamlkcofgcdnhpconj.chromiumapp.org/callback',
    );
  });

  test('saves the mock origin, client id and record types', async () => {
    const { api, byTestId, submit } = await openOptions();
    byTestId<HTMLInputElement>('mock-url').value = 'http://127.0.0.1:9000/ignored/path';
    byTestId<HTMLInputElement>('type-Device').checked = false;
    await submit();
    const settings = await loadSettings(api);
    expect(settings.mockOrigin).toBe('http://127.0.0.1:9000');
    expect(settings.clientId).toBe('patient-access-extension');
    expect(settings.resourceTypes).not.toContain('Device');
  });

  test('keeps the client secret in local storage, apart from the settings', async () => {
    const { api, byTestId, submit } = await openOptions();
    byTestId<HTMLInputElement>('client-secret').value = 'P2uCnXestgMxmlWnIUxNDO8u98qPa4NZ';
    await submit();
    expect(await loadClientSecret(api)).toBe('P2uCnXestgMxmlWnIUxNDO8u98qPa4NZ');
    expect(JSON.stringify(api.storage.local.data.get('settings'))).not.toContain('P2uCnX');
    expect(api.storage.session.data.size).toBe(0);
  });

  test('refuses a mock address on plain http off this machine', async () => {
    const { api, byTestId, submit } = await openOptions();
    byTestId<HTMLInputElement>('mock-url').value = 'http://192.168.1.20:8765';
    await submit();
    expect(byTestId('options-status').dataset.kind).toBe('error');
    expect(byTestId('options-status').textContent).toMatch(/https/);
    expect(api.storage.local.data.has('settings')).toBe(false);
  });

  test('refuses to save without a client id', async () => {
    const { api, byTestId, submit } = await openOptions();
    byTestId<HTMLInputElement>('client-id').value = ' ';
    await submit();
    expect(byTestId('options-status').dataset.kind).toBe('error');
    expect(api.storage.local.data.has('settings')).toBe(false);
  });

  test('asks for access to a custom server and its sign-in site, then stores the endpoints it discovers', async () => {
    const base = 'https://fhir.example.org/r4';
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        Response.json({
          issuer: 'https://auth.example.org/realms/x',
          authorization_endpoint: 'https://auth.example.org/authorize',
          token_endpoint: 'https://auth.example.org/token',
          jwks_uri: 'https://auth.example.org/jwks',
          code_challenge_methods_supported: ['S256'],
          capabilities: ['launch-standalone'],
        }),
      ),
    );
    const { api, byTestId, submit } = await openOptions();
    const select = byTestId<HTMLSelectElement>('server-select');
    select.value = 'custom';
    select.dispatchEvent(new Event('change'));
    byTestId<HTMLInputElement>('custom-base').value = base;
    byTestId<HTMLInputElement>('client-id').value = 'my-app';
    await submit();
    await vi.waitFor(() =>
      expect(byTestId('options-status').textContent).toMatch(/press “Save” again/),
    );
    await submit();
    await vi.waitFor(async () => expect((await loadSettings(api)).server).toBe('custom'));
    expect(api.permissionRequests).toEqual([
      ['https://fhir.example.org/*'],
      ['https://fhir.example.org/*', 'https://auth.example.org/*'],
    ]);
    expect((await loadSettings(api)).customProfile?.tokenEndpoint).toBe(
      'https://auth.example.org/token',
    );
  });

  test('refuses a custom server on plain http off loopback before asking for access to it', async () => {
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    const { api, byTestId, submit } = await openOptions();
    const select = byTestId<HTMLSelectElement>('server-select');
    select.value = 'custom';
    select.dispatchEvent(new Event('change'));
    byTestId<HTMLInputElement>('custom-base').value = 'http://fhir.example.org/r4';
    byTestId<HTMLInputElement>('client-id').value = 'my-app';
    await submit();
    expect(byTestId('options-status').dataset.kind).toBe('error');
    expect(byTestId('options-status').textContent).toBe(
      'The FHIR base URL "http://fhir.example.org/r4" must use https (plain http only on loopback).',
    );
    expect(api.grantedOrigins.size).toBe(0);
    expect(fetch).not.toHaveBeenCalled();
    expect(api.storage.local.data.has('settings')).toBe(false);
  });
});
