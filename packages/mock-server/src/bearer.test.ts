import { describe, expect, test } from 'vitest';
import { bearerChallenge, bearerToken } from './bearer.js';

describe('bearerChallenge', () => {
  test('names only the realm when no token was presented', () => {
    expect(bearerChallenge()).toBe('Bearer realm="nextgen"');
  });

  test('drops the quotes a description would break the header with', () => {
    expect(bearerChallenge({ code: 'invalid_token', description: 'bad "token"' })).toBe(
      'Bearer realm="nextgen", error="invalid_token", error_description="bad token"',
    );
  });
});

describe('bearerToken', () => {
  test('reads the token of a Bearer header, whatever the scheme’s case', () => {
    expect(bearerToken('bearer abc.def-_~+/==')).toBe('abc.def-_~+/==');
  });

  test('refuses a token with characters outside the b64token syntax', () => {
    expect(bearerToken('Bearer a,b')).toBeUndefined();
  });
});
