import { readSpecFile } from '../spec-files.js';
import { LruCache } from '../lru-cache.js';
import { realmUrls } from '../urls.js';

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
 * The captured `.well-known/smart-configuration`, pointing at the mock's realm endpoints at
 * `origin` (from the route table) and advertising only what the mock implements.
 * @see https://hl7.org/fhir/smart-app-launch/conformance.html#using-well-known
 */
export function smartConfigurationJson(origin: string): string {
  return cache.getOrCreate(origin, () => render(origin));
}

function render(origin: string): string {
  const urls = realmUrls(origin);
  const keep = (values: string[]): string[] => values.filter((value) => !UNSUPPORTED.has(value));
  return JSON.stringify({
    ...CAPTURED,
    issuer: urls.issuer,
    authorization_endpoint: urls.authorization,
    token_endpoint: urls.token,
    jwks_uri: urls.jwks,
    revocation_endpoint: urls.revocation,
    introspection_endpoint: urls.introspection,
    grant_types_supported: keep(CAPTURED.grant_types_supported),
    token_endpoint_auth_methods_supported: keep(CAPTURED.token_endpoint_auth_methods_supported),
    capabilities: keep(CAPTURED.capabilities),
  });
}
