import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG, parseQuirks, resolveConfig } from './config.js';

describe('resolveConfig', () => {
  test('fills every default', () => {
    expect(resolveConfig()).toEqual({ ...DEFAULT_CONFIG });
  });

  test('adds config clients to the built-in ones and lets one replace a built-in id', () => {
    const config = resolveConfig({
      clients: [
        { clientId: 'yourHealthFile', secrets: ['other'], redirectUris: ['https://a.example/cb'] },
        { clientId: 'my-app', secrets: [], redirectUris: ['https://b.example/cb'] },
      ],
    });
    expect(config.clients.map((client) => client.clientId)).toEqual([
      'yourHealthFile',
      'patient-access-extension',
      'my-app',
    ]);
    expect(config.clients[0]?.secrets).toEqual(['other']);
  });

  test('merges partial lifetimes with the defaults', () => {
    const config = resolveConfig({ lifetimes: { accessToken: 60 } as never });
    expect(config.lifetimes).toEqual({ ...DEFAULT_CONFIG.lifetimes, accessToken: 60 });
  });

  test('refuses a public URL that is not http(s)', () => {
    expect(() => resolveConfig({ publicUrl: 'ftp://x' })).toThrow(RangeError);
  });

  test('refuses a non-positive lifetime', () => {
    expect(() => resolveConfig({ lifetimes: { code: 0 } as never })).toThrow('lifetimes.code');
  });
});

describe('parseQuirks', () => {
  test('reads all, none and lists', () => {
    expect(parseQuirks('none')).toEqual([]);
    expect(parseQuirks('all')).toHaveLength(5);
    expect(parseQuirks('patient-leading-space')).toEqual(['patient-leading-space']);
  });

  test('names an unknown quirk', () => {
    expect(() => parseQuirks('sparkles')).toThrow('Unknown quirk "sparkles"');
  });
});
