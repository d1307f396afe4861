import { sign, type KeyObject } from 'node:crypto';

function encode(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

// The protected header is the same for every token of a key.
const headers = new Map<string, string>();
function headerOf(kid: string): string {
  let header = headers.get(kid);
  if (header === undefined) {
    header = encode({ alg: 'RS256', typ: 'JWT', kid });
    headers.set(kid, header);
  }
  return header;
}

/**
 * Signs `payload` as a compact RS256 JWS with Node's callback `crypto.sign`, which runs the RSA
 * operation on the libuv thread pool. jose's WebCrypto path was measured spending about twice the
 * main-thread time per signature here, and the token endpoint signs two per exchange.
 * @see https://www.rfc-editor.org/rfc/rfc7515#section-7.1
 * @see https://www.rfc-editor.org/rfc/rfc7518#section-3.3
 */
export function signRs256(
  payload: Record<string, unknown>,
  key: KeyObject,
  kid: string,
): Promise<string> {
  const input = `${headerOf(kid)}.${encode(payload)}`;
  return new Promise((resolve, reject) => {
    sign('sha256', Buffer.from(input), key, (error, signature) => {
      if (error) reject(error);
      else resolve(`${input}.${signature.toString('base64url')}`);
    });
  });
}
