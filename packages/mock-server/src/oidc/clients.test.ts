import { describe, expect, test } from 'vitest';
import { EXTENSION_CLIENT, YOUR_HEALTH_FILE_CLIENT } from '../config.js';
import { GUIDE_CLIENT } from '../../../../test-support/guide.js';
import { checkSecret, ClientRegistry, matchesRedirectUri } from './clients.js';

const patterns = YOUR_HEALTH_FILE_CLIENT.redirectUris;

describe('matchesRedirectUri', () => {
  test('matches an exact URI', () => {
    expect(matchesRedirectUri(patterns, 'https://oauth.pstmn.io/v1/callback')).toBe(true);
  });

  test('refuses a longer path on an exact URI', () => {
    expect(matchesRedirectUri(patterns, 'https://oauth.pstmn.io/v1/callback/x')).toBe(false);
  });

  test('matches one DNS label for a host wildcard', () => {
    expect(
      matchesRedirectUri(patterns, 'https://kjbdgfilnfhdoflbpgamdcdgpehopbep.chromiumapp.org/'),
    ).toBe(true);
  });

  test('refuses a host wildcard stretched across labels or paths', () => {
    expect(matchesRedirectUri(patterns, 'https://evil.com/x.chromiumapp.org/')).toBe(false);
    expect(matchesRedirectUri(patterns, 'https://a.b.chromiumapp.org/')).toBe(false);
  });

  test('matches Firefox’s redirect URL for the extension’s client', () => {
    expect(
      matchesRedirectUri(
        EXTENSION_CLIENT.redirectUris,
        'https://0cd92b4e37d0cd061461cdbe26da33a690f359d9.extensions.allizom.org/callback',
      ),
    ).toBe(true);
  });

  test('refuses Firefox’s redirect host stretched across labels', () => {
    expect(
      matchesRedirectUri(EXTENSION_CLIENT.redirectUris, 'https://a.b.extensions.allizom.org/cb'),
    ).toBe(false);
  });

  test('matches any loopback port', () => {
    expect(matchesRedirectUri(patterns, 'http://localhost:5173/callback?x=1')).toBe(true);
  });

  test('refuses a loopback lookalike host', () => {
    expect(matchesRedirectUri(patterns, 'http://127.0.0.1.evil.com/cb')).toBe(false);
    expect(matchesRedirectUri(patterns, 'http://localhost@evil.com/cb')).toBe(false);
  });

  test('refuses a URI with a fragment', () => {
    expect(matchesRedirectUri(patterns, 'http://127.0.0.1:4000/cb#x')).toBe(false);
  });
});

describe('checkSecret', () => {
  const registry = new ClientRegistry([YOUR_HEALTH_FILE_CLIENT, EXTENSION_CLIENT]);

  test('accepts the guide’s secret', () => {
    const client = registry.get('yourHealthFile');
    expect(client && checkSecret(client, GUIDE_CLIENT.clientSecret)).toBe(true);
  });

  test('refuses a prefix of the secret', () => {
    const client = registry.get('yourHealthFile');
    expect(client && checkSecret(client, 'P2uCnXestgMxmlWnIUxNDO8u98qPa4N')).toBe(false);
  });

  test('treats a client without secrets as public', () => {
    expect(registry.get('patient-access-extension')?.isPublic).toBe(true);
  });
});
