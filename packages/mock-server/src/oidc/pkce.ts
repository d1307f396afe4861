import { equalBytes, sha256 } from '../security/constant-time.js';

/**
 * Whether `verifier` matches the S256 `challenge` of its authorization request, computed
 * synchronously with node:crypto. The token endpoint checks one per exchange: WebCrypto's
 * `digest` (behind auth-core's `verifyPkce`, which clients and browser-side fakes use) costs a
 * thread-pool job and a promise, several times this on the event loop. The comparison runs in
 * constant time. `challenge` was checked to be S256-shaped when the code was requested.
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.6
 */
export function matchesS256Challenge(verifier: string, challenge: string): boolean {
  return equalBytes(Buffer.from(challenge, 'base64url'), sha256(verifier));
}
