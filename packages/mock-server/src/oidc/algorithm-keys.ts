import type { KeyObject } from 'node:crypto';
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
  privateKey: CryptoKey | KeyObject;
  /** The public half as served in the JWKS, with its `alg`. */
  publicJwk: JWK;
}

const EC_ALGS = ['ES256', 'ES384', 'ES512'];

// Per app: the RSA entries are its own RSA key's, which a keys file makes differ between apps.
const generated = new WeakMap<IdentityContext, Promise<ReadonlyMap<string, AlgorithmKey>>>();
let ecKeys: Promise<[string, AlgorithmKey][]> | undefined;

async function generateEc(alg: string): Promise<[string, AlgorithmKey]> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return [alg, { kid, privateKey, publicJwk: { ...jwk, kid, alg, use: 'sig' } }];
}

/**
 * A key per asymmetric algorithm besides RS256, each published with its own `alg` and `kid`, as a
 * Keycloak realm holds a key provider per algorithm. The RSA ones (RS384, RS512, PS256, PS384,
 * PS512) use the realm's RSA key material under their own `kid`, since five more RSA-2048
 * generations would cost seconds at the first JWKS request of a busy machine; the EC ones are
 * generated once per process (milliseconds) and never written to the keys file, so ES ID tokens
 * do not outlive the process.
 */
export function algorithmKeys(
  context: IdentityContext,
): Promise<ReadonlyMap<string, AlgorithmKey>> {
  let keys = generated.get(context);
  if (keys === undefined) {
    ecKeys ??= Promise.all(EC_ALGS.map(generateEc));
    const ec = ecKeys;
    keys = (async () => {
      const main = await context.keys();
      const rsa = ASYMMETRIC_ALGS.filter((alg) => !EC_ALGS.includes(alg)).map(
        (alg): [string, AlgorithmKey] => {
          const kid = `${main.kid}-${alg}`;
          return [
            alg,
            { kid, privateKey: main.signingKey, publicJwk: { ...main.publicJwk, kid, alg } },
          ];
        },
      );
      return new Map([...rsa, ...(await ec)]);
    })();
    generated.set(context, keys);
  }
  return keys;
}

/** The realm's JWKS: the RS256 key first, then one key per other asymmetric algorithm. */
export async function realmJwks(context: IdentityContext): Promise<{ keys: JWK[] }> {
  const [main, others] = await Promise.all([context.keys(), algorithmKeys(context)]);
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
    const secret = client?.registration.secrets[0];
    if (secret === undefined) throw new Error(`${alg} needs a client secret.`);
    return jwt.setProtectedHeader({ alg, typ: 'JWT' }).sign(new TextEncoder().encode(secret));
  }
  const key = (await algorithmKeys(context)).get(alg);
  if (!key) throw new Error(`No realm key for ${alg}.`);
  return jwt.setProtectedHeader({ alg, typ: 'JWT', kid: key.kid }).sign(key.privateKey);
}
