import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWK,
} from 'jose';
import type { Client } from './clients.js';
import type { IdentityContext } from './context.js';
import { signRs256 } from './jwt-signer.js';

/** The asymmetric algorithms of `id_token_signing_alg_values_supported` besides RS256. */
const ASYMMETRIC_ALGS = ['RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'];

/** The HMAC algorithms, keyed with the client's secret. */
const HMAC_ALGS = ['HS256', 'HS384', 'HS512'];

/** Every algorithm a client may register as `id_token_signed_response_alg`, as discovery lists them. */
export const ID_TOKEN_ALGS: readonly string[] = ['RS256', ...ASYMMETRIC_ALGS, ...HMAC_ALGS];

/** A realm key of one algorithm. */
interface AlgorithmKey {
  kid: string;
  privateKey: CryptoKey;
  /** The public half as served in the JWKS, with its `alg`. */
  publicJwk: JWK;
}

let generated: Promise<ReadonlyMap<string, AlgorithmKey>> | undefined;

async function generate(alg: string): Promise<[string, AlgorithmKey]> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return [alg, { kid, privateKey, publicJwk: { ...jwk, kid, alg, use: 'sig' } }];
}

/**
 * One key per asymmetric algorithm besides RS256, as a Keycloak realm holds one key provider per
 * algorithm. Generated once per process, all together, on first use (the JWKS or an ID token
 * asking for one), and never written to the keys file: ID tokens signed with them do not outlive
 * the process, while access tokens (RS256) do.
 */
export function algorithmKeys(): Promise<ReadonlyMap<string, AlgorithmKey>> {
  generated ??= Promise.all(ASYMMETRIC_ALGS.map(generate)).then((entries) => new Map(entries));
  return generated;
}

/** The realm's JWKS: the RS256 key first, then one key per other asymmetric algorithm. */
export async function realmJwks(context: IdentityContext): Promise<{ keys: JWK[] }> {
  const [main, others] = await Promise.all([context.keys(), algorithmKeys()]);
  return { keys: [main.publicJwk, ...[...others.values()].map((key) => key.publicJwk)] };
}

/**
 * Throws a `RangeError` unless `alg` is one the realm signs ID tokens with for this client: HMAC
 * needs a client secret.
 */
export function assertIdTokenAlg(alg: string, hasSecret: boolean, clientId: string): void {
  if (!ID_TOKEN_ALGS.includes(alg)) {
    throw new RangeError(
      `Client "${clientId}": id_token_signed_response_alg must be one of ${ID_TOKEN_ALGS.join(', ')}.`,
    );
  }
  if (HMAC_ALGS.includes(alg) && !hasSecret) {
    throw new RangeError(`Client "${clientId}": ${alg} ID tokens need a client secret.`);
  }
}

/**
 * Signs an ID token with the client's `id_token_signed_response_alg`: RS256 with the realm key
 * (on the thread pool), another asymmetric algorithm with the realm's key for it, HMAC with the
 * octets of the client secret.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#Signing
 */
export async function signIdToken(
  context: IdentityContext,
  client: Client | undefined,
  claims: Record<string, unknown>,
): Promise<string> {
  const alg = client?.idTokenSignedResponseAlg ?? 'RS256';
  if (alg === 'RS256') {
    const keys = await context.keys();
    return signRs256(claims, keys.signingKey, keys.kid);
  }
  const jwt = new SignJWT(claims);
  if (HMAC_ALGS.includes(alg)) {
    if (client?.hmacSecret === undefined) throw new Error(`${alg} needs a client secret.`);
    return jwt.setProtectedHeader({ alg, typ: 'JWT' }).sign(client.hmacSecret);
  }
  const key = (await algorithmKeys()).get(alg);
  if (!key) throw new Error(`No realm key for ${alg}.`);
  return jwt.setProtectedHeader({ alg, typ: 'JWT', kid: key.kid }).sign(key.privateKey);
}
