import { assertIdTokenAlg } from './oidc/algorithm-keys.js';
import { isLoopbackHost } from './security/hosts.js';

/** A switchable imitation of something the real server does that a strict client may trip on. */
export type Quirk =
  | 'authorization-response-iss'
  | 'hapi-forbidden-403'
  | 'need-patient-banner-string'
  | 'patient-leading-space'
  | 'smart-style-url-spaces';

/** Every quirk the mock knows, in documentation order. */
export const QUIRKS: readonly Quirk[] = [
  'authorization-response-iss',
  'hapi-forbidden-403',
  'need-patient-banner-string',
  'patient-leading-space',
  'smart-style-url-spaces',
];

/**
 * On by default: what the real server does and well-behaved clients survive. `patient-leading-space`
 * and `smart-style-url-spaces` come from the guide's hand-edited example and would break common
 * clients (SMART's fhirclient), so they are opt-in. `authorization-response-iss` is what newer
 * Keycloak (RFC 9207) does and the captured realm does not advertise. `hapi-forbidden-403` answers
 * a read or search outside the token's compartment or scopes with HAPI's stock 403 instead of the
 * 401 NextGen's Swagger documents.
 */
export const DEFAULT_QUIRKS: readonly Quirk[] = ['need-patient-banner-string'];

/**
 * How a client authenticates at the token, revocation and introspection endpoints.
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-2
 */
export type TokenEndpointAuthMethod =
  | 'client_secret_basic'
  | 'client_secret_post'
  | 'client_secret_jwt'
  | 'private_key_jwt'
  | 'tls_client_auth'
  | 'none';

/** The grants a client may be registered for. */
export type ClientGrantType = 'authorization_code' | 'refresh_token' | 'client_credentials';

/** A JSON Web Key Set, as registered (public keys only). */
export interface ClientJwks {
  keys: Array<Record<string, unknown>>;
}

/** A registered OAuth client, as the config file declares it. */
export interface ClientRegistration {
  clientId: string;
  /** Accepted secrets (confidential client); empty for a public client, which must use PKCE. */
  secrets: string[];
  /** Exact URIs or Keycloak-style patterns: `*` matches any run of characters. */
  redirectUris: string[];
  /** Where RP-initiated logout may send the browser; defaults to `redirectUris`. */
  postLogoutRedirectUris?: string[];
  /** Shown on the login and selection screens. */
  name?: string;
  /** Defaults to `client_secret_basic` with secrets (which also accepts `_post`), else `none`. */
  tokenEndpointAuthMethod?: TokenEndpointAuthMethod;
  /** `private_key_jwt`: the client's public keys, inline... */
  jwks?: ClientJwks;
  /** ...or where to fetch them (https, or http on a loopback address). */
  jwksUri?: string;
  /** Defaults to `authorization_code` and `refresh_token`. */
  grantTypes?: ClientGrantType[];
  /** The scopes the client may be granted (space-separated); any of the realm's when absent. */
  scope?: string;
  /** The ID token's signing algorithm, one of the realm's; RS256 when absent. */
  idTokenSignedResponseAlg?: string;
}

/** An extra login from the config file, pointing at patients of the dataset. */
export interface AccountConfig {
  username: string;
  password: string;
  personId: string;
  patientId: string;
  dependents?: string[];
  givenName?: string;
  familyName?: string;
  email?: string;
}

/** Lifetimes in seconds. */
export interface Lifetimes {
  /** Authorization code (Keycloak's "Client login timeout"). */
  code: number;
  accessToken: number;
  /** Online refresh token, also capped by the SSO session. */
  refreshToken: number;
  /** Offline token (`offline_access`): Keycloak's offline session idle timeout. */
  offlineToken: number;
  /** SSO session (Keycloak's "SSO Session Max"). */
  ssoSession: number;
  /** A login attempt between authorize and the selection screen (Keycloak's "Login timeout"). */
  loginAttempt: number;
  /** An EHR launch's `launch` value, from `POST /__admin/launches` to its use at authorize. */
  launch: number;
  /** A pushed authorization request's `request_uri` (Keycloak's realm `parRequestUriLifespan`). */
  parRequestUri: number;
}

/** Brute-force detection, as Keycloak's realm setting: `maxFailures: 0` turns it off. */
export interface LockoutConfig {
  maxFailures: number;
  lockSeconds: number;
}

/**
 * Requests per minute per client IP on the login and token endpoints; `0` turns a limit off.
 * Off by default: Keycloak has no such limit (its brute-force detection is per user: the
 * lockout), and a test suite's parallel sign-ins all come from 127.0.0.1.
 */
export interface RateLimitConfig {
  loginPerMinute: number;
  tokenPerMinute: number;
}

/** Fastify/pino log levels. */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** How the logger writes: pino's JSON lines, or one readable line per request (pino-pretty). */
export type LogFormat = 'json' | 'pretty';

/** Everything that configures one mock server. */
export interface MockConfig {
  port: number;
  host: string;
  /** The origin announced behind a proxy; otherwise the origin each request reached. */
  publicUrl: string | undefined;
  clients: ClientRegistration[];
  /** Logins added to the dataset's accounts. */
  accounts: AccountConfig[];
  lifetimes: Lifetimes;
  quirks: Quirk[];
  seed: number;
  extraPatients: number;
  /**
   * The `/__admin` test controls. Left unset, they are on when the mock listens on loopback only
   * and off otherwise: anyone on the network could reset it or move its clock.
   */
  admin: boolean;
  /** Host names the mock answers besides loopback, its bound address and `publicUrl`'s host. */
  allowedHosts: string[];
  lockout: LockoutConfig;
  /**
   * Keycloak's realm setting "Revoke Refresh Token": a refresh token may be used
   * `refreshTokenMaxReuse + 1` times; a use beyond that, or of a token older than the newest one
   * used, is reuse and revokes the client's whole grant.
   */
  revokeRefreshToken: boolean;
  /** Keycloak's "Refresh Token Max Reuse" (used only with {@link revokeRefreshToken}). */
  refreshTokenMaxReuse: number;
  /** Milliseconds to receive a whole request, body included (Node's `requestTimeout`). */
  requestTimeout: number;
  /** Milliseconds a connection may stay silent before it is closed (the socket timeout). */
  connectionTimeout: number;
  rateLimit: RateLimitConfig;
  /** A JSON file holding the signing key; created on first use, so tokens survive restarts. */
  keysFile: string | undefined;
  logLevel: LogLevel;
  logFormat: LogFormat;
  /** Request body limit in bytes. */
  bodyLimit: number;
}

/** The guide's test client: confidential, with the secret the guide publishes. */
export const YOUR_HEALTH_FILE_CLIENT: ClientRegistration = {
  clientId: 'yourHealthFile',
  secrets: ['P2uCnXestgMxmlWnIUxNDO8u98qPa4NZ'],
  redirectUris: [
    'https://oauth.pstmn.io/v1/callback',
    'https://*.chromiumapp.org/*',
    'http://127.0.0.1/*',
    'http://127.0.0.1:*/*',
    'http://localhost/*',
    'http://localhost:*/*',
  ],
  name: 'Your Health File',
};

/**
 * The extension's public client: no secret, PKCE mandatory. Its redirect URIs are what
 * `identity.getRedirectURL()` gives in Chrome (`https://<extension id>.chromiumapp.org/`) and in
 * Firefox (`https://<sha1 of the add-on id>.extensions.allizom.org/`); both browsers catch the
 * redirect before any DNS lookup.
 * @see https://developer.mozilla.org/en-US/docs/Mozilla/Add-ons/WebExtensions/API/identity/getRedirectURL
 */
export const EXTENSION_CLIENT: ClientRegistration = {
  clientId: 'patient-access-extension',
  secrets: [],
  redirectUris: [
    'https://*.chromiumapp.org/*',
    'https://*.extensions.allizom.org/*',
    'http://127.0.0.1/*',
    'http://127.0.0.1:*/*',
    'http://localhost/*',
    'http://localhost:*/*',
  ],
  name: 'Patient Access extension',
};

/** The bin's documented default port (not 3000 or 8080, which other dev servers take). */
export const DEFAULT_PORT = 8765;

/** The limits `--rate-limit` turns on. */
export const RATE_LIMIT_WHEN_ON: Readonly<RateLimitConfig> = Object.freeze({
  loginPerMinute: 600,
  tokenPerMinute: 600,
});

/** Every default in one place. */
export const DEFAULT_CONFIG: Readonly<MockConfig> = Object.freeze({
  port: DEFAULT_PORT,
  host: '127.0.0.1',
  publicUrl: undefined,
  clients: [YOUR_HEALTH_FILE_CLIENT, EXTENSION_CLIENT],
  accounts: [],
  lifetimes: {
    code: 60,
    accessToken: 300,
    refreshToken: 1800,
    offlineToken: 30 * 24 * 3600,
    ssoSession: 10 * 3600,
    loginAttempt: 1800,
    launch: 300,
    parRequestUri: 60,
  },
  quirks: [...DEFAULT_QUIRKS],
  seed: 42,
  extraPatients: 0,
  admin: true,
  allowedHosts: [],
  lockout: { maxFailures: 5, lockSeconds: 60 },
  revokeRefreshToken: true,
  refreshTokenMaxReuse: 0,
  requestTimeout: 30_000,
  // Above the longest injected fault latency (60 s) and Fastify's keep-alive (72 s), so neither
  // a stalled answer nor an idle keep-alive connection is cut by it.
  connectionTimeout: 90_000,
  rateLimit: { loginPerMinute: 0, tokenPerMinute: 0 },
  keysFile: undefined,
  logLevel: 'silent',
  logFormat: 'json',
  bodyLimit: 64 * 1024,
});

/**
 * Fills `partial` with the defaults. Clients from `partial` are added to the built-in ones (a
 * client with a built-in id replaces it); nested objects merge field by field.
 */
export function resolveConfig(partial: Partial<MockConfig> = {}): MockConfig {
  const clients = new Map(DEFAULT_CONFIG.clients.map((client) => [client.clientId, client]));
  for (const client of partial.clients ?? []) clients.set(client.clientId, client);
  const config: MockConfig = {
    ...DEFAULT_CONFIG,
    ...stripUndefined(partial),
    clients: [...clients.values()],
    accounts: [...(partial.accounts ?? [])],
    lifetimes: { ...DEFAULT_CONFIG.lifetimes, ...stripUndefined(partial.lifetimes ?? {}) },
    lockout: { ...DEFAULT_CONFIG.lockout, ...stripUndefined(partial.lockout ?? {}) },
    rateLimit: { ...DEFAULT_CONFIG.rateLimit, ...stripUndefined(partial.rateLimit ?? {}) },
    quirks: [...(partial.quirks ?? DEFAULT_CONFIG.quirks)],
    allowedHosts: [...(partial.allowedHosts ?? [])],
    admin: partial.admin ?? isLoopbackHost(partial.host ?? DEFAULT_CONFIG.host),
  };
  assertValid(config);
  return config;
}

/** Throws a `RangeError` naming the first setting that would only fail later, at a request. */
function assertValid(config: MockConfig): void {
  const { publicUrl } = config;
  if (
    publicUrl !== undefined &&
    (!URL.canParse(publicUrl) || !/^https?:$/.test(new URL(publicUrl).protocol))
  ) {
    throw new RangeError(`publicUrl must be an http(s) URL, got "${publicUrl}".`);
  }
  for (const host of config.allowedHosts) {
    if (!/^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*\.?|\[[0-9a-f:.]+\])$/i.test(host)) {
      throw new RangeError(`allowedHosts: "${host}" is not a host name (no scheme, port or path).`);
    }
  }
  if (!Number.isInteger(config.refreshTokenMaxReuse) || config.refreshTokenMaxReuse < 0) {
    throw new RangeError('refreshTokenMaxReuse must be a non-negative integer.');
  }
  for (const name of ['requestTimeout', 'connectionTimeout'] as const) {
    if (!Number.isInteger(config[name]) || config[name] <= 0) {
      throw new RangeError(`${name} must be a positive number of milliseconds.`);
    }
  }
  for (const [name, seconds] of Object.entries(config.lifetimes)) {
    if (!Number.isFinite(seconds) || seconds <= 0) {
      throw new RangeError(`lifetimes.${name} must be a positive number of seconds.`);
    }
  }
  for (const client of config.clients) {
    const browser = (client.grantTypes ?? ['authorization_code']).includes('authorization_code');
    if (!client.clientId || (browser && client.redirectUris.length === 0)) {
      throw new RangeError(
        `Client "${client.clientId}" needs an id and at least one redirect URI.`,
      );
    }
    if (client.idTokenSignedResponseAlg !== undefined) {
      assertIdTokenAlg(client.idTokenSignedResponseAlg, client.secrets.length > 0, client.clientId);
    }
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, field]) => field !== undefined),
  ) as Partial<T>;
}

/**
 * Parses `--quirks`: `all`, `none`, or a comma-separated list. Throws a `RangeError` naming an
 * unknown quirk.
 */
export function parseQuirks(list: string): Quirk[] {
  if (list === 'all') return [...QUIRKS];
  if (list === 'none' || list === '') return [];
  const quirks = list.split(',').map((name) => name.trim());
  for (const quirk of quirks) {
    if (!(QUIRKS as readonly string[]).includes(quirk)) {
      throw new RangeError(`Unknown quirk "${quirk}"; known: ${QUIRKS.join(', ')}, all, none.`);
    }
  }
  return quirks as Quirk[];
}
