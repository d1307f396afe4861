import { assertIdTokenAlg } from './algorithm-keys.js';
import { equalBytes, sha256 } from '../security/constant-time.js';
import type { ClientRegistration } from '../config.js';

/** A registered client, with its redirect URI patterns compiled. */
export interface Client {
  clientId: string;
  name: string;
  /** No secret: PKCE is the only proof of possession. */
  isPublic: boolean;
  redirectUris: readonly string[];
  postLogoutRedirectUris: readonly string[];
  /** SHA-256 of each accepted secret, compared in constant time. */
  secretHashes: readonly Buffer[];
  /** The JWS algorithm of its ID tokens (`id_token_signed_response_alg`). */
  idTokenSignedResponseAlg: string;
  /** The first secret's octets: the key of HS256/384/512 ID tokens (OIDC Core §10.1). */
  hmacSecret: Uint8Array | undefined;
}

/** The clients of one mock server, by id. */
export class ClientRegistry {
  readonly #clients: Map<string, Client>;

  constructor(clients: readonly ClientRegistration[]) {
    for (const client of clients) {
      assertIdTokenAlg(
        client.idTokenSignedResponseAlg ?? 'RS256',
        client.secrets.length > 0,
        client.clientId,
      );
    }
    this.#clients = new Map(
      clients.map((client) => [
        client.clientId,
        {
          clientId: client.clientId,
          name: client.name ?? client.clientId,
          isPublic: client.secrets.length === 0,
          redirectUris: client.redirectUris,
          postLogoutRedirectUris: client.postLogoutRedirectUris ?? client.redirectUris,
          secretHashes: client.secrets.map(sha256),
          idTokenSignedResponseAlg: client.idTokenSignedResponseAlg ?? 'RS256',
          hmacSecret:
            client.secrets[0] === undefined ? undefined : Buffer.from(client.secrets[0], 'utf8'),
        },
      ]),
    );
  }

  get(clientId: string): Client | undefined {
    return this.#clients.get(clientId);
  }

  all(): Client[] {
    return [...this.#clients.values()];
  }
}

/**
 * Whether `secret` is one of the client's secrets, compared in constant time with each (all of
 * them, so the time does not say which one matched).
 */
export function checkSecret(client: Client, secret: string): boolean {
  const candidate = sha256(secret);
  let match = false;
  for (const hash of client.secretHashes) match = equalBytes(hash, candidate) || match;
  return match;
}

/**
 * Whether `uri` may receive this client's authorization responses: an exact match, or a match of
 * a Keycloak-style pattern. A `*` in the host matches one DNS label, in the port digits, and in
 * the path any rest, so `https://*.chromiumapp.org/*` cannot be bent into another host. URIs with
 * a fragment are refused.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.1.2
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.1.3
 */
export function matchesRedirectUri(patterns: readonly string[], uri: string): boolean {
  if (!URL.canParse(uri) || uri.includes('#')) return false;
  return patterns.some((pattern) => pattern === uri || compilePattern(pattern).test(uri));
}

const compiled = new Map<string, RegExp>();

function compilePattern(pattern: string): RegExp {
  let regex = compiled.get(pattern);
  if (regex) return regex;
  const schemeEnd = pattern.indexOf('://');
  const pathStart = pattern.indexOf('/', schemeEnd + 3);
  const authority = pathStart === -1 ? pattern : pattern.slice(0, pathStart);
  const path = pathStart === -1 ? '' : pattern.slice(pathStart);
  const source =
    authority
      .split(':')
      .map((part, index) =>
        part
          .split('*')
          .map(escapeRegExp)
          .join(index === 2 ? '[0-9]{1,5}' : '[A-Za-z0-9-]+'),
      )
      .join(':') + path.split('*').map(escapeRegExp).join('[^#]*');
  regex = new RegExp(`^${source}$`);
  compiled.set(pattern, regex);
  return regex;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
