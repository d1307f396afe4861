/** The realm's name on the real server. */
export const REALM = 'nextgen';

/** The realm's path on the real server, under the mock's origin. */
export const REALM_PATH = `/auth/realms/${REALM}`;

/** The FHIR base path on the real server. */
export const FHIR_PATH = '/api/fhir/r4';

/** Where the token response's `smart_style_url` points (served by the landing plugin). */
export const SMART_STYLE_PATH = '/electronic/json/api/portalSmartStyleConfig.json';

/** The realm's endpoints for one origin. */
export interface RealmUrls {
  origin: string;
  issuer: string;
  authorization: string;
  token: string;
  introspection: string;
  userinfo: string;
  endSession: string;
  jwks: string;
  revocation: string;
  loginActions: string;
  fhirBase: string;
}

/** Every endpoint URL of the realm and the FHIR base at `origin`. */
export function realmUrls(origin: string): RealmUrls {
  const issuer = `${origin}${REALM_PATH}`;
  const oidc = `${issuer}/protocol/openid-connect`;
  return {
    origin,
    issuer,
    authorization: `${oidc}/auth`,
    token: `${oidc}/token`,
    introspection: `${oidc}/token/introspect`,
    userinfo: `${oidc}/userinfo`,
    endSession: `${oidc}/logout`,
    jwks: `${oidc}/certs`,
    revocation: `${oidc}/revoke`,
    loginActions: `${issuer}/login-actions`,
    fhirBase: `${origin}${FHIR_PATH}`,
  };
}
