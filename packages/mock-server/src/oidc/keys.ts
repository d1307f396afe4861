import { createPrivateKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type CryptoKey,
  type JWK,
} from 'jose';

/** The realm's RS256 signing key. */
export interface SigningKeys {
  kid: string;
  privateKey: CryptoKey;
  /** The same private key for Node's thread-pool signing. */
  signingKey: KeyObject;
  publicKey: CryptoKey;
  /** The public half as served in the JWKS. */
  publicJwk: JWK;
}

interface KeysFile {
  privateJwk: JWK;
}

let processKeys: Promise<SigningKeys> | undefined;

/**
 * The signing key: loaded from `file` (created there on first use, mode 0600), or generated once
 * per process and shared by every app, since an RSA-2048 generation costs about 100 ms.
 */
export function loadSigningKeys(file: string | undefined): Promise<SigningKeys> {
  if (file) return loadOrCreate(file);
  processKeys ??= generate();
  return processKeys;
}

async function generate(): Promise<{ privateJwk: JWK } & SigningKeys> {
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  return fromPrivateJwk(await exportJWK(privateKey));
}

async function loadOrCreate(file: string): Promise<SigningKeys> {
  let text: string | undefined;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (text === undefined) {
    const keys = await generate();
    const contents: KeysFile = { privateJwk: keys.privateJwk };
    await writeFile(file, JSON.stringify(contents, null, 2), { mode: 0o600, flag: 'wx' });
    return keys;
  }
  const parsed = JSON.parse(text) as Partial<KeysFile>;
  if (parsed.privateJwk?.kty !== 'RSA' || !parsed.privateJwk.d) {
    throw new Error(`${file} does not hold an RSA private JWK under "privateJwk".`);
  }
  return fromPrivateJwk(parsed.privateJwk);
}

async function fromPrivateJwk(jwk: JWK): Promise<{ privateJwk: JWK } & SigningKeys> {
  const { kty, n, e } = jwk;
  const base = { kty, n, e } as JWK;
  const kid = await calculateJwkThumbprint(base);
  const publicJwk: JWK = { ...base, kid, alg: 'RS256', use: 'sig' };
  const [privateKey, publicKey] = await Promise.all([
    importJWK({ ...jwk, alg: 'RS256' }, 'RS256'),
    importJWK(publicJwk, 'RS256'),
  ]);
  return {
    kid,
    privateKey: privateKey as CryptoKey,
    signingKey: createPrivateKey({ key: jwk as JsonWebKey, format: 'jwk' }),
    publicKey: publicKey as CryptoKey,
    publicJwk,
    privateJwk: { ...jwk, kid },
  };
}
