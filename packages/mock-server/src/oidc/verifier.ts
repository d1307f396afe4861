import { errors, jwtVerify, type JWTPayload } from 'jose';
import { parseScopes } from '@patient-access/auth-core';
import {
  InvalidTokenError,
  type AccessGrant,
  type AccessTokenVerifier,
  type TokenRecipient,
} from '../access.js';
import type { Clock } from '../clock.js';
import { LruCache } from '../lru-cache.js';
import type { SigningKeys } from './keys.js';
import type { IdentityStore } from './sessions/store.js';

const CACHE_LIMIT = 10_000;
// How many of a token's last characters (its RS256 signature's) key the cache. A map hashes its
// key on every look-up, and hashing the whole kilobyte-long token was the largest share of a
// cached read; 32 signature characters (192 bits) never collide between honest tokens, and each
// entry keeps its whole token, compared in full, so only that exact token ever hits.
const KEY_LENGTH = 32;

const keyOf = (token: string): string =>
  token.length <= KEY_LENGTH ? token : token.slice(-KEY_LENGTH);

interface Verified {
  readonly token: string;
  readonly grant: AccessGrant;
  /**
   * The recipient the grant was last found addressed to. A recipient never changes, and the FHIR
   * side keeps one per `Host` header, so its next read there skips comparing the issuer and
   * audience again: two string comparisons that V8 makes character by character, a visible share
   * of a cached read. Any other recipient object is compared in full.
   */
  addressedTo?: TokenRecipient;
}

interface AccessClaims extends JWTPayload {
  typ?: string;
  azp?: string;
  scope?: string;
  patient?: string;
  fhirUser?: string;
}

/**
 * Verifies the realm's access tokens for the FHIR side and userinfo. The RS256 signature is
 * checked once per token; later calls hit a bounded cache and only re-check expiry against the
 * clock and revocation against the store, which keeps a bearer check far cheaper than RSA.
 */
export class RealmTokenVerifier implements AccessTokenVerifier {
  readonly #keys: () => Promise<SigningKeys>;
  readonly #store: IdentityStore;
  readonly #clock: Clock;
  readonly #cache = new LruCache<string, Verified>(CACHE_LIMIT);

  readonly #patientsOf: (subject: string) => readonly string[] | undefined;

  /**
   * @param patientsOf The patients a user (`sub`) may see, which its `user/` scopes reach.
   */
  constructor(
    keys: () => Promise<SigningKeys>,
    store: IdentityStore,
    clock: Clock,
    patientsOf: (subject: string) => readonly string[] | undefined = () => undefined,
  ) {
    this.#keys = keys;
    this.#store = store;
    this.#clock = clock;
    this.#patientsOf = patientsOf;
  }

  async verify(accessToken: string, recipient?: TokenRecipient): Promise<AccessGrant> {
    if (!accessToken) throw new InvalidTokenError('missing', 'Missing bearer token');
    return (
      this.verifyRemembered(accessToken, recipient) ??
      this.#live(accessToken, await this.#verifySignature(accessToken), recipient)
    );
  }

  /**
   * The grant of a token whose signature was verified before, checked again for expiry and
   * revocation, without a promise; `undefined` when the token is not remembered.
   */
  verifyRemembered(accessToken: string, recipient?: TokenRecipient): AccessGrant | undefined {
    const verified = this.#remembered(accessToken);
    if (!verified) return undefined;
    const grant = this.#live(
      accessToken,
      verified.grant,
      recipient === verified.addressedTo ? undefined : recipient,
    );
    if (recipient) verified.addressedTo = recipient;
    return grant;
  }

  remembers(accessToken: string): boolean {
    return this.#remembered(accessToken) !== undefined;
  }

  #remembered(accessToken: string): Verified | undefined {
    const verified = this.#cache.get(keyOf(accessToken));
    return verified?.token === accessToken ? verified : undefined;
  }

  #live(accessToken: string, grant: AccessGrant, recipient?: TokenRecipient): AccessGrant {
    if (recipient) assertAddressedTo(grant, recipient);
    if (grant.expiresAt <= this.#clock.now()) {
      this.#cache.delete(keyOf(accessToken));
      throw new InvalidTokenError('expired', 'Token is not active');
    }
    if (!this.#store.isAccessTokenLive(grant.tokenId)) {
      throw new InvalidTokenError('revoked', 'Token is not active');
    }
    return grant;
  }

  /** Forgets cached verifications (after a reset). */
  clear(): void {
    this.#cache.clear();
  }

  /** Forgets cached verifications of tokens expired by `now`, so the cache shrinks with the store. */
  prune(now: number): void {
    this.#cache.deleteWhere(({ grant }) => grant.expiresAt <= now);
  }

  /** How many verifications are cached. */
  get size(): number {
    return this.#cache.size;
  }

  async #verifySignature(accessToken: string): Promise<AccessGrant> {
    const { publicKey } = await this.#keys();
    let claims: AccessClaims;
    try {
      ({ payload: claims } = await jwtVerify<AccessClaims>(accessToken, publicKey, {
        algorithms: ['RS256'],
        currentDate: new Date(this.#clock.now()),
      }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) {
        throw new InvalidTokenError('expired', 'Token is not active');
      }
      if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) {
        throw new InvalidTokenError('malformed', 'Malformed token');
      }
      if (error instanceof errors.JWSSignatureVerificationFailed) {
        throw new InvalidTokenError('invalid', 'Invalid token signature');
      }
      throw new InvalidTokenError('invalid', 'Token verification failed');
    }
    const { jti, sub, azp, patient, fhirUser, exp, typ, scope, iss, aud } = claims;
    // A backend service's token (client_credentials) names no patient and no user.
    const service = patient === undefined && fhirUser === undefined;
    if (
      typ !== 'Bearer' ||
      !jti ||
      !sub ||
      !azp ||
      !exp ||
      !iss ||
      aud === undefined ||
      (!service && (!patient || !fhirUser))
    ) {
      throw new InvalidTokenError('invalid', 'Not an access token of this realm');
    }
    let scopes;
    try {
      scopes = parseScopes(scope);
    } catch {
      throw new InvalidTokenError('invalid', 'Not an access token of this realm');
    }
    if (service && scopes.some((each) => each.kind === 'resource' && each.context !== 'system')) {
      throw new InvalidTokenError('invalid', 'Not an access token of this realm');
    }
    const grant: AccessGrant = {
      tokenId: jti,
      subject: sub,
      clientId: azp,
      patient: patient ?? '',
      personId: fhirUser === undefined ? '' : fhirUser.slice(fhirUser.lastIndexOf('/') + 1),
      scopes,
      expiresAt: exp * 1000,
      issuer: iss,
      audience: aud,
      // A service's token has no user, and so no `user/` reach.
      ...(service ? { level: 'system' as const } : { userPatients: this.#patientsOf(sub) }),
    };
    this.#cache.set(keyOf(accessToken), { token: accessToken, grant });
    return grant;
  }
}

/**
 * Refuses a token of another realm or for another FHIR base: the signing key is shared by every
 * origin the mock answers, so only `iss` and `aud` tell a token minted under another name (or
 * for another server) from one of this origin. Keycloak's own wording.
 * @see https://www.rfc-editor.org/rfc/rfc9068#section-4
 */
function assertAddressedTo(grant: AccessGrant, recipient: TokenRecipient): void {
  if (grant.issuer !== recipient.issuer) {
    throw new InvalidTokenError('issuer', `Invalid token issuer. Expected '${recipient.issuer}'`);
  }
  const { audience } = grant;
  if (
    audience !== recipient.audience &&
    !(Array.isArray(audience) && audience.includes(recipient.audience))
  ) {
    throw new InvalidTokenError('audience', 'Expected audience not available in the token');
  }
}
