import type { HTTPMethods, onRequestHookHandler, RouteShorthandOptions } from 'fastify';

/** The realm's name on the real server. */
export const REALM = 'nextgen';

/** Where the identity plugin is mounted: the realm's path on the real server. */
export const REALM_PATH = `/auth/realms/${REALM}`;

/** Where the FHIR plugin is mounted: the FHIR base path on the real server. */
export const FHIR_PATH = '/api/fhir/r4';

/** Where the C-CDA route is mounted: the Swagger file's `basePath`, `/api/`, on the FHIR host. */
export const CCDA_PATH = '/api';

/** Where the test controls are mounted. */
export const ADMIN_PATH = '/__admin';

/** The routes `POST /__admin/faults` can make fail or stall. */
export const FAULT_ROUTES = [
  'discovery',
  'certs',
  'authorize',
  'login',
  'token',
  'par',
  'introspect',
  'revoke',
  'userinfo',
  'logout',
  'session-iframe',
  'fhir',
] as const;

/** One of {@link FAULT_ROUTES}. */
export type FaultRoute = (typeof FAULT_ROUTES)[number];

/**
 * Who may read a route's answers from a web page of another origin.
 * - `none`: no CORS headers (the browser screens, the test controls).
 * - `public`: any origin (`*`), for documents without secrets.
 * - `web-origins`: the origins of the registered redirect URIs, Keycloak's "Web origins: +", with
 *   a preflight route at the same path.
 * - `any-origin`: the caller's origin, reflected, for bearer-token APIs without cookies (FHIR).
 * @see https://fetch.spec.whatwg.org/#http-cors-protocol
 */
export type CorsPolicy = 'none' | 'public' | 'web-origins' | 'any-origin';

/** One route of the mock, relative to the prefix of the plugin that serves it. */
export interface RouteSpec {
  readonly method: HTTPMethods | readonly HTTPMethods[];
  readonly path: string;
  readonly cors: CorsPolicy;
  /** The name under which `/__admin/faults` targets this route. */
  readonly fault?: FaultRoute;
  /** Which of the config's per-minute, per-IP limits applies. */
  readonly rateLimit?: 'login' | 'token';
  /** A screen a browser walks through: reads and sets Keycloak's cookies. */
  readonly browser?: boolean;
  /** What the route does, in a sentence: `GET /__admin` lists the test controls with it. */
  readonly description?: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's {@link RouteSpec.fault}, read by the fault injection. */
    fault?: FaultRoute;
  }
}

/** The realm `nextgen`, under {@link REALM_PATH}, at Keycloak's paths. */
export const IDENTITY_ROUTES = {
  discovery: {
    method: 'GET',
    path: '/.well-known/openid-configuration',
    cors: 'public',
    fault: 'discovery',
  },
  certs: { method: 'GET', path: '/protocol/openid-connect/certs', cors: 'public', fault: 'certs' },
  authorize: {
    method: ['GET', 'POST'],
    path: '/protocol/openid-connect/auth',
    cors: 'none',
    fault: 'authorize',
    browser: true,
  },
  authenticate: {
    method: 'POST',
    path: '/login-actions/authenticate',
    cors: 'none',
    fault: 'login',
    rateLimit: 'login',
    browser: true,
  },
  consent: {
    method: 'POST',
    path: '/login-actions/consent',
    cors: 'none',
    fault: 'login',
    rateLimit: 'login',
    browser: true,
  },
  token: {
    method: 'POST',
    path: '/protocol/openid-connect/token',
    cors: 'web-origins',
    fault: 'token',
    rateLimit: 'token',
  },
  introspect: {
    method: 'POST',
    path: '/protocol/openid-connect/token/introspect',
    cors: 'web-origins',
    fault: 'introspect',
  },
  revoke: {
    method: 'POST',
    path: '/protocol/openid-connect/revoke',
    cors: 'web-origins',
    fault: 'revoke',
  },
  userinfo: {
    method: ['GET', 'POST'],
    path: '/protocol/openid-connect/userinfo',
    cors: 'web-origins',
    fault: 'userinfo',
  },
  logout: {
    method: ['GET', 'POST'],
    path: '/protocol/openid-connect/logout',
    cors: 'none',
    fault: 'logout',
    browser: true,
  },
  /** `check_session_iframe`: Keycloak's login status page, framed by relying parties. */
  sessionIframe: {
    method: 'GET',
    path: '/protocol/openid-connect/login-status-iframe.html',
    cors: 'none',
    fault: 'session-iframe',
  },
  /** The page's check that a client allows the framing origin: 204 or 403. */
  sessionIframeInit: {
    method: 'GET',
    path: '/protocol/openid-connect/login-status-iframe.html/init',
    cors: 'none',
    fault: 'session-iframe',
  },
  /** Pushed authorization requests (RFC 9126), Keycloak's `ParEndpoint`. */
  par: {
    method: 'POST',
    path: '/protocol/openid-connect/ext/par/request',
    cors: 'web-origins',
    fault: 'par',
    rateLimit: 'token',
  },
  /** Advertised by the realm; refused as Keycloak refuses a client not enabled for it. */
  deviceAuthorization: {
    method: 'POST',
    path: '/protocol/openid-connect/auth/device',
    cors: 'web-origins',
    fault: 'token',
  },
  /** Advertised by the realm; refused as Keycloak refuses a client not enabled for it. */
  backchannelAuthentication: {
    method: 'POST',
    path: '/protocol/openid-connect/ext/ciba/auth',
    cors: 'none',
    fault: 'token',
  },
  /** Advertised by the realm; refused by Keycloak's anonymous registration policies. */
  registration: {
    method: 'POST',
    path: '/clients-registrations/openid-connect',
    cors: 'none',
  },
} as const satisfies Record<string, RouteSpec>;

// Read-only API: every write answers 405, as HAPI does for an operation it has no provider for.
const WRITES = ['POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** The FHIR R4 API, under {@link FHIR_PATH}, at HAPI's paths. */
export const FHIR_ROUTES = {
  metadata: { method: 'GET', path: '/metadata', cors: 'public', fault: 'fhir' },
  smartConfiguration: {
    method: 'GET',
    path: '/.well-known/smart-configuration',
    cors: 'public',
    fault: 'fhir',
  },
  /** HAPI's paging links, `?_getpages=…`. */
  pages: { method: 'GET', path: '/', cors: 'any-origin', fault: 'fhir' },
  person: { method: 'GET', path: '/Person/:id', cors: 'any-origin', fault: 'fhir' },
  binary: { method: 'GET', path: '/Binary/:id', cors: 'any-origin', fault: 'fhir' },
  read: { method: 'GET', path: '/:type/:id', cors: 'any-origin', fault: 'fhir' },
  search: { method: 'GET', path: '/:type', cors: 'any-origin', fault: 'fhir' },
  searchPost: { method: 'POST', path: '/:type/_search', cors: 'any-origin', fault: 'fhir' },
  writeType: { method: WRITES, path: '/:type', cors: 'any-origin', fault: 'fhir' },
  writeInstance: { method: WRITES, path: '/:type/:id', cors: 'any-origin', fault: 'fhir' },
  /** One preflight answer for every FHIR path. */
  preflight: { method: 'OPTIONS', path: '/*', cors: 'any-origin', fault: 'fhir' },
} as const satisfies Record<string, RouteSpec>;

/** The Swagger file's `GET /ccda`, under {@link CCDA_PATH}: the patient's C-CDA document. */
export const CCDA_ROUTES = {
  document: { method: 'GET', path: '/ccda', cors: 'any-origin', fault: 'fhir' },
  preflight: { method: 'OPTIONS', path: '/ccda', cors: 'any-origin', fault: 'fhir' },
} as const satisfies Record<string, RouteSpec>;

/** The landing page, the EHR launcher and the SMART style, at the root. */
export const LANDING_ROUTES = {
  home: { method: 'GET', path: '/', cors: 'none' },
  /** The EHR launcher's page (with the test controls only: it creates launches). */
  launcher: { method: 'GET', path: '/launcher', cors: 'none' },
  /** The launcher's form action: creates the launch, then 303 to the app's launch URL. */
  launch: { method: 'POST', path: '/launcher', cors: 'none' },
  /** Where the token response's `smart_style_url` points. */
  smartStyle: {
    method: 'GET',
    path: '/electronic/json/api/portalSmartStyleConfig.json',
    cors: 'public',
  },
} as const satisfies Record<string, RouteSpec>;

/** The test controls, under {@link ADMIN_PATH}. */
export const ADMIN_ROUTES = {
  index: {
    method: 'GET',
    path: '/',
    cors: 'none',
    description: 'This list of the test controls.',
  },
  reset: {
    method: 'POST',
    path: '/reset',
    cors: 'none',
    description:
      'Forget sessions, codes, grants, lockouts, faults and the clients registered here; set the clock back to real time.',
  },
  clock: {
    method: 'GET',
    path: '/clock',
    cors: 'none',
    description: "The mock's clock: now, and its offset from real time.",
  },
  advanceClock: {
    method: 'POST',
    path: '/clock',
    cors: 'none',
    description:
      'Move the clock forward ({"advanceSeconds": 3600}): codes, tokens, sessions and lockouts expire.',
  },
  faults: { method: 'GET', path: '/faults', cors: 'none', description: 'The pending faults.' },
  addFault: {
    method: 'POST',
    path: '/faults',
    cors: 'none',
    description: `Fail or delay the next requests of a route ({"route": "token", "count": 2, "status": 503, "error": "temporarily_unavailable", "latencyMs": 500}); routes: ${FAULT_ROUTES.join(', ')}.`,
  },
  clearFaults: {
    method: 'DELETE',
    path: '/faults',
    cors: 'none',
    description: 'Clear the pending faults.',
  },
  sessions: {
    method: 'GET',
    path: '/sessions',
    cors: 'none',
    description: 'The live SSO sessions.',
  },
  launches: {
    method: 'POST',
    path: '/launches',
    cors: 'none',
    description:
      'Create an EHR launch ({"patient": "428946492", "encounter": "<id>", "user": "DavidFHIR"}): answers {"launch", "iss"} for the app\'s launch URL; single-use, expires with lifetimes.launch.',
  },
  tokens: {
    method: 'GET',
    path: '/tokens',
    cors: 'none',
    description: 'The live tokens: ids and metadata, never token values.',
  },
  clients: {
    method: 'GET',
    path: '/clients',
    cors: 'none',
    description: 'The registered clients, as RFC 7591 metadata.',
  },
  registerClient: {
    method: 'POST',
    path: '/clients',
    cors: 'none',
    description:
      'Register a client from RFC 7591 metadata ({"client_id": "my-service", "token_endpoint_auth_method": "private_key_jwt", "jwks_uri": "http://127.0.0.1:9000/jwks", "grant_types": ["client_credentials"], "scope": "system/*.read"}); answers 201 with the registered metadata.',
  },
  deleteClient: {
    method: 'DELETE',
    path: '/clients/:clientId',
    cors: 'none',
    description: 'Forget a client and revoke what it was issued.',
  },
} as const satisfies Record<string, RouteSpec>;

/**
 * Fastify's route options for `spec`: its method and path, its fault name in `config`, and the
 * `onRequest` hooks only this route needs (its CORS policy, a rate limit), so routes that need
 * none run none.
 */
export function routeOptions(
  spec: RouteSpec,
  onRequest: readonly onRequestHookHandler[] = [],
  config: Readonly<Record<string, unknown>> = {},
): RouteShorthandOptions & { method: HTTPMethods | HTTPMethods[]; url: string } {
  return {
    method: typeof spec.method === 'string' ? spec.method : [...spec.method],
    url: spec.path,
    config: { ...config, fault: spec.fault },
    ...(onRequest.length > 0 ? { onRequest: [...onRequest] } : {}),
  };
}
