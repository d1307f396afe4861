import { describe, expect, test } from 'vitest';
import { equalBytes, sameSecret } from './constant-time.js';

describe('sameSecret', () => {
  test('accepts the secret itself', () => {
    expect(sameSecret('P2uCnXestgMx', 'P2uCnXestgMx')).toBe(true);
  });

  test('refuses a prefix of the secret', () => {
    expect(sameSecret('P2uCnXestgMx', 'P2uCn')).toBe(false);
  });
});

describe('equalBytes', () => {
  test('refuses byte strings of different lengths without throwing', () => {
    expect(equalBytes(new Uint8Array(32), new Uint8Array(31))).toBe(false);
  });
});
