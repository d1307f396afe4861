import { calculatePKCECodeChallenge, generateRandomCodeVerifier } from 'oauth4webapi';
import { PkceError } from './errors.js';

/** A PKCE pair; `method` is always `S256` (NextGen and the mock refuse `plain`). */
export interface Pkce {
  verifier: string;
  challenge: string;
  method: 'S256';
}

const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
const CHALLENGE = /^[A-Za-z0-9\-_]{43}$/;

/**
 * Throws a {@link PkceError} unless `verifier` is 43 to 128 characters of the unreserved alphabet.
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.1
 */
export function assertPkceVerifier(verifier: string): void {
  if (typeof verifier !== 'string' || verifier.length < 43 || verifier.length > 128) {
    throw new PkceError('A PKCE code_verifier must be 43 to 128 characters long.');
  }
  if (!VERIFIER.test(verifier)) {
    throw new PkceError(
      'A PKCE code_verifier may only contain the unreserved characters A-Z a-z 0-9 - . _ ~',
    );
  }
}

/**
 * Whether `challenge` has the shape of an S256 challenge: base64url of 32 bytes, no padding.
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.2
 */
export function isS256Challenge(challenge: string): boolean {
  return typeof challenge === 'string' && CHALLENGE.test(challenge);
}

/**
 * The S256 code challenge of `verifier`: base64url(SHA-256(ASCII(verifier))).
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.2
 */
export async function pkceChallenge(verifier: string): Promise<string> {
  assertPkceVerifier(verifier);
  return calculatePKCECodeChallenge(verifier);
}

/**
 * A new verifier (32 bytes from a CSPRNG, base64url: 43 characters) and its S256 challenge.
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.1
 */
export async function createPkce(): Promise<Pkce> {
  const verifier = generateRandomCodeVerifier();
  return { verifier, challenge: await pkceChallenge(verifier), method: 'S256' };
}

/**
 * Whether `verifier` matches `challenge` under S256, in constant time over the challenge.
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.6
 */
export async function verifyPkce(verifier: string, challenge: string): Promise<boolean> {
  let computed: string;
  try {
    computed = await pkceChallenge(verifier);
  } catch {
    return false;
  }
  if (computed.length !== challenge.length) return false;
  let diff = 0;
  for (let i = 0; i < computed.length; i++)
    diff |= computed.charCodeAt(i) ^ challenge.charCodeAt(i);
  return diff === 0;
}
