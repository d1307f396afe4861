import { equalBytes, sha256 } from '../security/constant-time.js';
import type {
  ClientGrantType,
  ClientJwks,
  ClientRegistration,
  TokenEndpointAuthMethod,
} from '../config.js';

/** A registered client, with its redirect URI patterns compiled. */
export interface Client {
  clientId: string;
  name: string;
  /** No secret: PKCE is the only proof of possession. */
  isPublic: boolean;
  authMethod: TokenEndpointAuthMethod;
  redirectUris: readonly string[];
  postLogoutRedirectUris: readonly string[];
  /** SHA-256 of each accepted secret, compared in constant time. */
  secretHashes: readonly Buffer[];
  /** `client_secret_jwt`: the secrets themselves, the HMAC keys of its assertions. */
  hmacSecrets: readonly Uint8Array[];
  jwks: ClientJwks | undefined;
  jwksUri: string | undefined;
  grantTypes: ReadonlySet<ClientGrantType>;
  /** The scopes the client may be granted; any of the realm's when `undefined`. */
  scope: string | undefined;
  idTokenSignedResponseAlg: string | undefined;
  /** The registration as given, for `GET /__admin/clients`. */
  registration: ClientRegistration;
  /** Epoch seconds of the registration. */
  issuedAt: number;
}

const DEFAULT_GRANTS: readonly ClientGrantType[] = ['authorization_code', 'refresh_token'];

function compile(registration: ClientRegistration, issuedAt: number): Client {
  const authMethod =
    registration.tokenEndpointAuthMethod ??
    (registration.secrets.length === 0 ? 'none' : 'client_secret_basic');
  const encoder = new TextEncoder();
  return {
    clientId: registration.clientId,
    name: registration.name ?? registration.clientId,
    isPublic: authMethod === 'none',
    authMethod,
    redirectUris: registration.redirectUris,
    postLogoutRedirectUris: registration.postLogoutRedirectUris ?? registration.redirectUris,
    secretHashes: registration.secrets.map(sha256),
    hmacSecrets:
      authMethod === 'client_secret_jwt'
        ? registration.secrets.map((secret) => encoder.encode(secret))
        : [],
    jwks: registration.jwks,
    jwksUri: registration.jwksUri,
    grantTypes: new Set(registration.grantTypes ?? DEFAULT_GRANTS),
    scope: registration.scope,
    idTokenSignedResponseAlg: registration.idTokenSignedResponseAlg,
    registration,
    issuedAt,
  };
}

/**
 * The clients of one mock server, by id: those of the config, plus those registered at run time
 * (`POST /__admin/clients`), which a reset forgets.
 */
export class ClientRegistry {
  readonly #configured: readonly ClientRegistration[];
  readonly #clients = new Map<string, Client>();

  constructor(clients: readonly ClientRegistration[]) {
    this.#configured = clients;
    this.reset();
  }

  get(clientId: string): Client | undefined {
    return this.#clients.get(clientId);
  }

  all(): Client[] {
    return [...this.#clients.values()];
  }

  /** Registers `registration`, replacing none: the caller checks that its id is free. */
  add(registration: ClientRegistration, issuedAt: number): Client {
    const client = compile(registration, issuedAt);
    this.#clients.set(client.clientId, client);
    return client;
  }

  /** Forgets a client; whether it was registered. */
  delete(clientId: string): boolean {
    return this.#clients.delete(clientId);
  }

  /** Back to the clients of the config. */
  reset(): void {
    this.#clients.clear();
    for (const registration of this.#configured) this.add(registration, 0);
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
