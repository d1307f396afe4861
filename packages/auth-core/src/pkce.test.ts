import { describe, expect, test } from 'vitest';
import { PkceError } from './errors.js';
import {
  assertPkceVerifier,
  createPkce,
  isS256Challenge,
  pkceChallenge,
  verifyPkce,
} from './pkce.js';

describe('pkceChallenge', () => {
  // RFC 7636 Appendix B. The verifier is base64url of the appendix's 32 octets; the string
  // `dBjftJeZ4CVP-mJ92K9CD4ftRMoOydh0F4lNd_Zd8jE` quoted in some guides is a mistyped copy.
  test('maps the RFC 7636 Appendix B verifier to its published challenge', async () => {
    const octets = [
      116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77,
      105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
    ];
    const verifier = btoa(String.fromCharCode(...octets))
      .replaceAll('+', '-')
      .replaceAll('/', '_')
      .replace(/=+$/, '');
    expect(verifier).toBe('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk');
    await expect(pkceChallenge(verifier)).resolves.toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  test('rejects a verifier shorter than 43 characters', async () => {
    await expect(pkceChallenge('a'.repeat(42))).rejects.toMatchObject({
      code: 'ERR_PKCE_VERIFIER_INVALID',
    });
  });

  test('rejects a verifier longer than 128 characters', async () => {
    await expect(pkceChallenge('a'.repeat(129))).rejects.toBeInstanceOf(PkceError);
  });

  test('rejects a verifier with characters outside the unreserved alphabet', async () => {
    await expect(pkceChallenge(`${'a'.repeat(42)}+`)).rejects.toBeInstanceOf(PkceError);
  });

  test('accepts verifiers of exactly 43 and 128 characters', async () => {
    await expect(pkceChallenge('a'.repeat(43))).resolves.toMatch(/^[A-Za-z0-9_-]{43}$/);
    await expect(pkceChallenge('~'.repeat(128))).resolves.toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('createPkce', () => {
  test('returns a valid verifier, its S256 challenge and the method', async () => {
    const pkce = await createPkce();
    expect(() => assertPkceVerifier(pkce.verifier)).not.toThrow();
    expect(pkce.method).toBe('S256');
    await expect(pkceChallenge(pkce.verifier)).resolves.toBe(pkce.challenge);
  });

  test('returns a different verifier each time', async () => {
    const [a, b] = await Promise.all([createPkce(), createPkce()]);
    expect(a.verifier).not.toBe(b.verifier);
  });
});

describe('verifyPkce', () => {
  test('accepts the matching verifier', async () => {
    const pkce = await createPkce();
    await expect(verifyPkce(pkce.verifier, pkce.challenge)).resolves.toBe(true);
  });

  test('rejects a different verifier', async () => {
    const [a, b] = await Promise.all([createPkce(), createPkce()]);
    await expect(verifyPkce(b.verifier, a.challenge)).resolves.toBe(false);
  });

  test('rejects a malformed verifier without throwing', async () => {
    const pkce = await createPkce();
    await expect(verifyPkce('short', pkce.challenge)).resolves.toBe(false);
  });
});

describe('isS256Challenge', () => {
  test('recognises base64url of 32 bytes and nothing else', () => {
    expect(isS256Challenge('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM')).toBe(true);
    expect(isS256Challenge('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM=')).toBe(false);
    expect(isS256Challenge('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM')).toBe(false);
  });
});
