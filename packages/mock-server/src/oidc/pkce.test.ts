import { describe, expect, it } from 'vitest';
import { createPkce, pkceChallenge } from '@patient-access/auth-core';
import { matchesS256Challenge } from './pkce.js';

describe('matchesS256Challenge', () => {
  it('accepts the RFC 7636 appendix B verifier with its challenge', () => {
    expect(
      matchesS256Challenge(
        'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
        'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      ),
    ).toBe(true);
  });

  it('accepts every pair the auth core creates', async () => {
    for (let i = 0; i < 20; i++) {
      const pkce = await createPkce();
      expect(matchesS256Challenge(pkce.verifier, pkce.challenge)).toBe(true);
    }
  });

  it('refuses a verifier of another pair', async () => {
    const [a, b] = [await createPkce(), await createPkce()];
    expect(matchesS256Challenge(b.verifier, a.challenge)).toBe(false);
  });

  it('refuses a challenge that is not 32 bytes', async () => {
    const pkce = await createPkce();
    const challenge = await pkceChallenge(pkce.verifier);
    expect(matchesS256Challenge(pkce.verifier, challenge.slice(0, 40))).toBe(false);
  });
});
