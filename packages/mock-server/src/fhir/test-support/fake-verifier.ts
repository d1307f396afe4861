import { parseScopes } from '@patient-access/auth-core';
import {
  type AccessGrant,
  type AccessTokenVerifier,
  InvalidTokenError,
  type InvalidTokenReason,
} from '../../access.js';

/**
 * An in-memory {@link AccessTokenVerifier} for unit tests of the FHIR plugin: tokens are issued
 * by `grant()` and refused by `refuse()` with the reason the identity side would give.
 */
export class FakeVerifier implements AccessTokenVerifier {
  readonly #grants = new Map<string, AccessGrant>();
  readonly #refused = new Map<string, InvalidTokenReason>();
  #next = 0;

  /** Issues a token for `patient` with the space-delimited `scope`. */
  grant(scope: string, patient = '428946492', personId = '4007449'): string {
    const token = `token-${++this.#next}`;
    this.#grants.set(token, {
      tokenId: `jti-${this.#next}`,
      subject: `user-${patient}`,
      clientId: 'yourHealthFile',
      patient,
      personId,
      scopes: parseScopes(scope),
      expiresAt: Date.now() + 300_000,
      issuer: 'http://localhost:80/auth/realms/nextgen',
      audience: 'http://localhost:80/api/fhir/r4',
    });
    return token;
  }

  /** A token the verifier refuses for `reason`. */
  refuse(reason: InvalidTokenReason): string {
    const token = `refused-${reason}`;
    this.#refused.set(token, reason);
    return token;
  }

  verify(accessToken: string): Promise<AccessGrant> {
    const grant = this.#grants.get(accessToken);
    if (grant) return Promise.resolve(grant);
    const reason = this.#refused.get(accessToken) ?? 'malformed';
    return Promise.reject(new InvalidTokenError(reason, `The token is ${reason}.`));
  }
}
