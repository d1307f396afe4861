import type { AuthorizationServer } from 'oauth4webapi';
import {
  JSON_ATTRIBUTE_COMPARISON,
  OperationProcessingError,
  discoveryRequest,
  processDiscoveryResponse,
} from 'oauth4webapi';
import { AuthCoreError, DiscoveryError, IssuerMismatchError } from './errors.js';
import { assertEndpoint, oauthCall } from './oauth-call.js';
import type { RequestOptions } from './transport.js';
import { isJsonObject, readJson, typedFetch, withDeadline } from './transport.js';

/**
 * Everything a client needs to know about one SMART on FHIR server: its identity provider's
 * endpoints and its FHIR base. Plain strings, so a profile can be stored as JSON.
 * @see https://hl7.org/fhir/smart-app-launch/conformance.html#metadata
 */
export interface ServerProfile {
  name: string;
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  revocationEndpoint?: string;
  introspectionEndpoint?: string;
  userinfoEndpoint?: string;
  endSessionEndpoint?: string;
  jwksUri: string;
  fhirBaseUrl: string;
}

/** Options of the discovery functions: the network options plus a display name. */
export interface DiscoveryOptions extends RequestOptions {
  name?: string;
}

/** Options of {@link discoverFromIssuer}: OIDC metadata has no FHIR base, so it may be given. */
export interface IssuerDiscoveryOptions extends DiscoveryOptions {
  fhirBaseUrl?: string;
}

const NEXTGEN_ISSUER = 'https://idp-prod.prod.ngo.nextgenaws.net/auth/realms/nextgen';
const REALM_PATH = '/auth/realms/nextgen';
const FHIR_PATH = '/api/fhir/r4';

function keycloakProfile(name: string, issuer: string, fhirBaseUrl: string): ServerProfile {
  const oidc = `${issuer}/protocol/openid-connect`;
  return Object.freeze({
    name,
    issuer,
    authorizationEndpoint: `${oidc}/auth`,
    tokenEndpoint: `${oidc}/token`,
    revocationEndpoint: `${oidc}/revoke`,
    introspectionEndpoint: `${oidc}/token/introspect`,
    userinfoEndpoint: `${oidc}/userinfo`,
    endSessionEndpoint: `${oidc}/logout`,
    jwksUri: `${oidc}/certs`,
    fhirBaseUrl,
  });
}

/**
 * NextGen Office production: the Keycloak realm `nextgen` and the FHIR R4 base from the
 * developer guide (endpoints as its OIDC discovery document lists them).
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata
 */
export const NEXTGEN_PRODUCTION: ServerProfile = keycloakProfile(
  'NextGen Office',
  NEXTGEN_ISSUER,
  'https://fhir.meditouchehr.com/api/fhir/r4',
);

/**
 * The profile of a mock server at `origin` (e.g. `http://127.0.0.1:8080`), which serves NextGen's
 * Keycloak paths under `/auth/realms/nextgen` and FHIR under `/api/fhir/r4`.
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata
 */
export function mockProfile(origin: string): ServerProfile {
  if (!URL.canParse(origin)) throw new DiscoveryError(`"${origin}" is not an origin.`);
  const base = new URL(origin).origin;
  return keycloakProfile(`Mock (${base})`, `${base}${REALM_PATH}`, `${base}${FHIR_PATH}`);
}

/**
 * Reads `{fhirBaseUrl}/.well-known/smart-configuration` and builds a profile from it. The document
 * must name an `issuer` and a `jwks_uri` (SMART requires both with `sso-openid-connect`).
 * @see https://hl7.org/fhir/smart-app-launch/conformance.html#using-well-known
 */
export async function discoverFromFhirBase(
  fhirBaseUrl: string,
  options: DiscoveryOptions = {},
): Promise<ServerProfile> {
  const base = trimSlash(fhirBaseUrl);
  const url = `${base}/.well-known/smart-configuration`;
  try {
    assertEndpoint(url, 'The SMART configuration URL');
    const metadata = await withDeadline(options, async (signal) => {
      const response = await typedFetch(options)(url, {
        headers: { accept: 'application/json' },
        signal,
      });
      if (response.status !== 200) {
        await response.body?.cancel();
        throw new DiscoveryError(`${url} answered HTTP ${response.status}.`, {
          status: response.status,
        });
      }
      return readJson(response, 'The SMART configuration endpoint');
    });
    return profileFromMetadata(metadata, base, options.name);
  } catch (error) {
    throw asDiscoveryError(error, url);
  }
}

/**
 * Reads the issuer's OpenID Connect discovery document (its `issuer` must equal `issuer`) and
 * builds a profile. The FHIR base is `options.fhirBaseUrl`, or known for NextGen and the mock.
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig
 */
export async function discoverFromIssuer(
  issuer: string,
  options: IssuerDiscoveryOptions = {},
): Promise<ServerProfile> {
  const expected = trimSlash(issuer);
  const url = `${expected}/.well-known/openid-configuration`;
  try {
    const fhirBaseUrl = options.fhirBaseUrl ?? knownFhirBase(expected);
    const metadata = await oauthCall(options, expected, 'OIDC discovery', async (http) => {
      const issuerUrl = new URL(expected);
      const response = await discoveryRequest(issuerUrl, http);
      try {
        return await processDiscoveryResponse(issuerUrl, response);
      } catch (error) {
        if (error instanceof OperationProcessingError && error.code === JSON_ATTRIBUTE_COMPARISON) {
          const body = (error.cause as { body?: { issuer?: unknown } } | undefined)?.body;
          throw new IssuerMismatchError(expected, String(body?.issuer));
        }
        throw error;
      }
    });
    return profileFromMetadata(metadata, trimSlash(fhirBaseUrl), options.name);
  } catch (error) {
    throw asDiscoveryError(error, url);
  }
}

/**
 * Builds a profile from SMART or OIDC metadata, checking every endpoint is usable.
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 */
export function profileFromMetadata(
  metadata: unknown,
  fhirBaseUrl: string,
  name?: string,
): ServerProfile {
  if (!isJsonObject(metadata)) throw new DiscoveryError('The metadata is not a JSON object.');
  const required = (field: string): string => {
    const value = metadata[field];
    if (typeof value !== 'string' || value === '') {
      throw new DiscoveryError(`The metadata has no "${field}".`);
    }
    assertEndpoint(value, `"${field}"`);
    return value;
  };
  const optional = (field: string): string | undefined =>
    metadata[field] === undefined ? undefined : required(field);
  const issuer = required('issuer');
  const profile: ServerProfile = {
    name: name ?? new URL(issuer).host,
    issuer,
    authorizationEndpoint: required('authorization_endpoint'),
    tokenEndpoint: required('token_endpoint'),
    jwksUri: required('jwks_uri'),
    fhirBaseUrl: assertEndpoint(fhirBaseUrl, 'The FHIR base URL').href.replace(/\/$/, ''),
  };
  const revocationEndpoint = optional('revocation_endpoint');
  const introspectionEndpoint = optional('introspection_endpoint');
  const userinfoEndpoint = optional('userinfo_endpoint');
  const endSessionEndpoint = optional('end_session_endpoint');
  if (revocationEndpoint) profile.revocationEndpoint = revocationEndpoint;
  if (introspectionEndpoint) profile.introspectionEndpoint = introspectionEndpoint;
  if (userinfoEndpoint) profile.userinfoEndpoint = userinfoEndpoint;
  if (endSessionEndpoint) profile.endSessionEndpoint = endSessionEndpoint;
  return Object.freeze(profile);
}

/**
 * The oauth4webapi view of a profile.
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 */
export function toAuthorizationServer(profile: ServerProfile): AuthorizationServer {
  return {
    issuer: profile.issuer,
    authorization_endpoint: profile.authorizationEndpoint,
    token_endpoint: profile.tokenEndpoint,
    revocation_endpoint: profile.revocationEndpoint,
    introspection_endpoint: profile.introspectionEndpoint,
    userinfo_endpoint: profile.userinfoEndpoint,
    end_session_endpoint: profile.endSessionEndpoint,
    jwks_uri: profile.jwksUri,
    // NextGen signs ID tokens with RS256 (its Keycloak realm default).
    id_token_signing_alg_values_supported: ['RS256'],
  };
}

function knownFhirBase(issuer: string): string {
  if (issuer === NEXTGEN_ISSUER) return NEXTGEN_PRODUCTION.fhirBaseUrl;
  const url = URL.canParse(issuer) ? new URL(issuer) : undefined;
  if (url?.pathname === REALM_PATH) return `${url.origin}${FHIR_PATH}`;
  throw new DiscoveryError(
    `OIDC metadata has no FHIR base: pass options.fhirBaseUrl for issuer "${issuer}".`,
  );
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function asDiscoveryError(error: unknown, url: string): AuthCoreError {
  if (error instanceof DiscoveryError || error instanceof IssuerMismatchError) return error;
  if (
    error instanceof AuthCoreError &&
    (error.code === 'ERR_TIMEOUT' || error.code === 'ERR_ABORTED' || error.code === 'ERR_NETWORK')
  ) {
    return error;
  }
  const status = error instanceof AuthCoreError ? error.status : undefined;
  const reason = error instanceof Error ? error.message : String(error);
  return new DiscoveryError(`Discovery from ${url} failed: ${reason}`, { status, cause: error });
}
