import type { Scope } from '@patient-access/auth-core';

/**
 * What a valid access token grants, as the identity side hands it to the FHIR side.
 * The FHIR routes never parse JWTs themselves: they ask an {@link AccessTokenVerifier}.
 */
export interface AccessGrant {
  /** The token's `jti`, for revocation look-ups and logs (never the token itself). */
  tokenId: string;
  /** The Keycloak user id (`sub`). */
  subject: string;
  clientId: string;
  /**
   * The patient chosen on the selection screen: every read is limited to this compartment. Empty
   * for a backend service's token (`client_credentials`), which reads any patient's record.
   */
  patient: string;
  /**
   * The patients the token's user may see (its own record and its dependents'), which `user/`
   * scopes reach; `undefined` when the verifier does not know the user's accounts.
   */
  userPatients?: readonly string[];
  /**
   * `system` for a backend service's token, whose `system/` scopes reach every patient;
   * absent for a patient's token.
   * @see https://hl7.org/fhir/smart-app-launch/backend-services.html
   */
  level?: 'system';
  /** The signed-in account, `Person/<id>`. */
  personId: string;
  /** The granted scopes, parsed by the auth core. */
  scopes: readonly Scope[];
  /** Epoch milliseconds. */
  expiresAt: number;
  /** The realm that issued the token (`iss`). */
  issuer: string;
  /** The FHIR base the token was minted for (`aud`). */
  audience: string | readonly string[];
}

/**
 * Who a token must be addressed to for the request at hand: the realm and the FHIR base at the
 * origin that answers it.
 */
export interface TokenRecipient {
  issuer: string;
  audience: string;
}

/** Why a bearer token was refused; each maps to `401` with `WWW-Authenticate: Bearer`. */
export type InvalidTokenReason =
  'missing' | 'malformed' | 'expired' | 'revoked' | 'invalid' | 'issuer' | 'audience';

export class InvalidTokenError extends Error {
  readonly reason: InvalidTokenReason;

  constructor(reason: InvalidTokenReason, message: string) {
    super(message);
    this.name = 'InvalidTokenError';
    this.reason = reason;
  }
}

/** Implemented by the identity side; consumed by the FHIR side. */
export interface AccessTokenVerifier {
  /**
   * Resolves the grant of a live access token; rejects with {@link InvalidTokenError}. With
   * `recipient`, a token issued by another realm or minted for another FHIR base is refused.
   */
  verify(accessToken: string, recipient?: TokenRecipient): Promise<AccessGrant>;
  /**
   * The grant of `accessToken` if it is exactly a token whose signature was verified and is
   * remembered, checked again for expiry, revocation and `recipient` (rejected with
   * {@link InvalidTokenError}) without a promise; `undefined` otherwise, for {@link verify}.
   */
  verifyRemembered?(accessToken: string, recipient?: TokenRecipient): AccessGrant | undefined;
}
