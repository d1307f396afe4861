import { readSpecFile } from '../spec-files.js';
import { LruCache } from '../lru-cache.js';

interface SmartConfiguration {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  revocation_endpoint: string;
  introspection_endpoint: string;
  grant_types_supported: string[];
  token_endpoint_auth_methods_supported: string[];
  capabilities: string[];
  [key: string]: unknown;
}

const CAPTURED = JSON.parse(
  readSpecFile('nextgen-office-r4-smart-configuration.json'),
) as SmartConfiguration;

// The mock's token endpoint has no `client_credentials` grant and no `private_key_jwt` client
// authentication (SMART's "client-confidential-asymmetric"): a client must not be told otherwise.
const UNSUPPORTED = new Set([
  'client_credentials',
  'private_key_jwt',
  'client-confidential-asymmetric',
]);

// Few: the origin comes from the client's Host header.
const cache = new LruCache<string, string>(16);

/**
 * The captured `.well-known/smart-configuration`, pointing at the mock's Keycloak-style endpoints
 * under `${origin}/auth/realms/nextgen` and advertising only what the mock implements.
 * @see https://hl7.org/fhir/smart-app-launch/conformance.html#using-well-known
 */
export function smartConfigurationJson(origin: string): string {
  return cache.getOrCreate(origin, () => render(origin));
}

function render(origin: string): string {
  const issuer = `${origin}/auth/realms/nextgen`;
  const endpoints = `${issuer}/protocol/openid-connect`;
  const keep = (values: string[]): string[] => values.filter((value) => !UNSUPPORTED.has(value));
  return JSON.stringify({
    ...CAPTURED,
    issuer,
    authorization_endpoint: `${endpoints}/auth`,
    token_endpoint: `${endpoints}/token`,
    jwks_uri: `${endpoints}/certs`,
    revocation_endpoint: `${endpoints}/revoke`,
    introspection_endpoint: `${endpoints}/token/introspect`,
    grant_types_supported: keep(CAPTURED.grant_types_supported),
    token_endpoint_auth_methods_supported: keep(CAPTURED.token_endpoint_auth_methods_supported),
    capabilities: keep(CAPTURED.capabilities),
  });
}
