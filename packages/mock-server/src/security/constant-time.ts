import { createHash, timingSafeEqual } from 'node:crypto';

/** The SHA-256 digest of `text` (UTF-8). */
export function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * Whether two byte strings are equal, in a time that depends on their length only, never on
 * where they differ. Compare digests of fixed length, so the length says nothing either.
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Whether `given` is the secret `expected` (a password, a session id). Comparing their SHA-256
 * digests gives equal lengths to {@link equalBytes}, so neither the secret nor its length leaks
 * through timing.
 */
export function sameSecret(expected: string, given: string): boolean {
  return equalBytes(sha256(expected), sha256(given));
}
