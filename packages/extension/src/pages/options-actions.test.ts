import { afterEach, describe, expect, test, vi } from 'vitest';
import { DEFAULT_SETTINGS, loadClientSecret, loadSettings } from '../settings.js';
import { FakeExtensionApi } from '../test-support/fake-extension-api.js';
import {
  checkConnection,
  saveOptions,
  validateOptions,
  type OptionsForm,
} from './options-actions.js';

const FORM: OptionsForm = {
  server: 'mock',
  mockUrl: 'http://127.0.0.1:8765',
  customBase: '',
  clientId: 'patient-access-extension',
  clientSecret: '',
  resourceTypes: ['Condition', 'Observation'],
  staySignedIn: false,
};

const CUSTOM: OptionsForm = {
  ...FORM,
  server: 'custom',
  customBase: 'https://fhir.example.org/r4',
  clientId: 'my-app',
};

function smartConfiguration(authOrigin = 'https://fhir.example.org') {
  return vi.fn(async () =>
    Response.json({
      issuer: `${authOrigin}/realms/x`,
      authorization_endpoint: `${authOrigin}/authorize`,
      token_endpoint: `${authOrigin}/token`,
      jwks_uri: `${authOrigin}/jwks`,
      code_challenge_methods_supported: ['S256'],
      capabilities: ['launch-standalone'],
    }),
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('validateOptions', () => {
  test('accepts the mock on loopback with a client id', () => {
    expect(validateOptions(FORM)).toBeUndefined();
  });

  test('names the client id field when it is blank', () => {
    expect(validateOptions({ ...FORM, clientId: '  ' })).toMatchObject({
      kind: 'error',
      field: 'clientId',
    });
  });

  test('names the mock address when it is not a URL', () => {
    expect(validateOptions({ ...FORM, mockUrl: 'localhost' })).toMatchObject({
      field: 'mockUrl',
      message: 'Enter the mock server’s address, e.g. http://127.0.0.1:8765.',
    });
  });

  test('refuses a mock address on plain http off this machine', () => {
    expect(validateOptions({ ...FORM, mockUrl: 'http://192.168.1.20:8765' })?.message).toBe(
      'The mock server’s address "http://192.168.1.20:8765" must use https (plain http only on loopback).',
    );
  });

  test('refuses a custom FHIR base on plain http off loopback', () => {
    expect(validateOptions({ ...CUSTOM, customBase: 'http://fhir.example.org/r4' })).toMatchObject({
      field: 'customBase',
      kind: 'error',
    });
  });
});

describe('checkConnection', () => {
  test('describes the mock’s endpoints from its smart-configuration', async () => {
    vi.stubGlobal('fetch', smartConfiguration('http://127.0.0.1:8765'));
    const { report, profile } = await checkConnection(new FakeExtensionApi(), FORM);
    expect(report.kind).toBe('ok');
    expect(report.message).toMatch(/^Found .* Token endpoint: http:\/\/127\.0\.0\.1:8765\/token\./);
    expect(profile?.tokenEndpoint).toBe('http://127.0.0.1:8765/token');
  });

  test('asks for access to a custom server before reading it', async () => {
    const fetch = smartConfiguration();
    vi.stubGlobal('fetch', fetch);
    const api = new FakeExtensionApi();
    const { report } = await checkConnection(api, CUSTOM);
    expect(report.kind).toBe('ok');
    expect(api.grantedOrigins.has('https://fhir.example.org/*')).toBe(true);
  });

  test('asks for a sign-in server on another site in the next click’s first request', async () => {
    const fetch = smartConfiguration('https://auth.example.org');
    vi.stubGlobal('fetch', fetch);
    const api = new FakeExtensionApi();
    const first = await checkConnection(api, CUSTOM);
    expect(first.report.kind).toBe('info');
    expect(first.report.message).toMatch(/press “Check connection” again/);
    expect(first.missingOrigins).toEqual(['https://auth.example.org/*']);
    const second = await checkConnection(api, CUSTOM, first.missingOrigins);
    expect(second.report.kind).toBe('ok');
    expect(api.permissionRequests).toEqual([
      ['https://fhir.example.org/*'],
      ['https://fhir.example.org/*', 'https://auth.example.org/*'],
    ]);
  });

  test('reports a server that cannot be reached as an error, without a profile', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('Failed to fetch');
      }),
    );
    const result = await checkConnection(new FakeExtensionApi(), FORM);
    expect(result.report.kind).toBe('error');
    expect(result.profile).toBeUndefined();
  });
});

describe('saveOptions', () => {
  test('stores the mock’s origin, not the path typed after it', async () => {
    const api = new FakeExtensionApi();
    const { report } = await saveOptions(
      api,
      { ...FORM, mockUrl: 'http://127.0.0.1:9000/ignored' },
      DEFAULT_SETTINGS,
    );
    expect(report.kind).toBe('ok');
    expect((await loadSettings(api)).mockOrigin).toBe('http://127.0.0.1:9000');
  });

  test('keeps the chosen record types and the client secret apart from the settings', async () => {
    const api = new FakeExtensionApi();
    await saveOptions(api, { ...FORM, clientSecret: 's3cret' }, DEFAULT_SETTINGS);
    expect((await loadSettings(api)).resourceTypes).toEqual(['Condition', 'Observation']);
    expect(await loadClientSecret(api)).toBe('s3cret');
    expect(JSON.stringify(api.storage.local.data.get('settings'))).not.toContain('s3cret');
  });

  test('stores nothing when the form is invalid', async () => {
    const api = new FakeExtensionApi();
    const { report, settings } = await saveOptions(
      api,
      { ...FORM, clientId: '' },
      DEFAULT_SETTINGS,
    );
    expect(report.field).toBe('clientId');
    expect(settings).toBeUndefined();
    expect(api.storage.local.data.has('settings')).toBe(false);
  });

  test('stores a custom server with the endpoints it discovered', async () => {
    vi.stubGlobal('fetch', smartConfiguration());
    const api = new FakeExtensionApi();
    const { settings } = await saveOptions(api, CUSTOM, DEFAULT_SETTINGS);
    expect(settings?.customProfile?.tokenEndpoint).toBe('https://fhir.example.org/token');
    expect((await loadSettings(api)).server).toBe('custom');
  });

  test('stores a custom server whose sign-in site is elsewhere only once that site is allowed', async () => {
    vi.stubGlobal('fetch', smartConfiguration('https://auth.example.org'));
    const api = new FakeExtensionApi();
    const first = await saveOptions(api, CUSTOM, DEFAULT_SETTINGS);
    expect(first.report.message).toMatch(/press “Save” again/);
    expect(api.storage.local.data.has('settings')).toBe(false);
    const second = await saveOptions(api, CUSTOM, DEFAULT_SETTINGS, first.missingOrigins);
    expect(second.settings?.customProfile?.tokenEndpoint).toBe('https://auth.example.org/token');
  });

  test('stores nothing for a custom server whose access was refused', async () => {
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    const api = new FakeExtensionApi();
    api.permissions.request = async () => false;
    const { report } = await saveOptions(api, CUSTOM, DEFAULT_SETTINGS);
    expect(report.message).toBe(
      'Without access to that server the extension cannot sign in to it.',
    );
    expect(fetch).not.toHaveBeenCalled();
    expect(api.storage.local.data.has('settings')).toBe(false);
  });
});
