import type { TokenRecipient } from './access.js';
import { FHIR_PATH, FHIR_ROUTES, IDENTITY_ROUTES, LANDING_ROUTES, REALM_PATH } from './routes.js';

/** The realm's endpoints and the FHIR base for one origin. */
export interface RealmUrls {
  origin: string;
  issuer: string;
  discovery: string;
  authorization: string;
  token: string;
  introspection: string;
  userinfo: string;
  endSession: string;
  jwks: string;
  revocation: string;
  /** RFC 9126's endpoint (`pushed_authorization_request_endpoint`). */
  pushedAuthorization: string;
  /** Client-initiated backchannel authentication (advertised, refused as Keycloak's). */
  backchannelAuthentication: string;
  /** The discovery's `check_session_iframe`. */
  checkSessionIframe: string;
  /** The login form's action, before its query. */
  loginAuthenticate: string;
  /** The selection screen's action, before its query. */
  loginConsent: string;
  fhirBase: string;
  smartConfiguration: string;
  /** Where the token response's `smart_style_url` points. */
  smartStyle: string;
}

/** Every endpoint URL of the realm and the FHIR base at `origin`, from the route table. */
export function realmUrls(origin: string): RealmUrls {
  const issuer = `${origin}${REALM_PATH}`;
  const fhirBase = `${origin}${FHIR_PATH}`;
  const identity = (route: keyof typeof IDENTITY_ROUTES) =>
    `${issuer}${IDENTITY_ROUTES[route].path}`;
  return {
    origin,
    issuer,
    discovery: identity('discovery'),
    authorization: identity('authorize'),
    token: identity('token'),
    introspection: identity('introspect'),
    userinfo: identity('userinfo'),
    endSession: identity('logout'),
    jwks: identity('certs'),
    revocation: identity('revoke'),
    pushedAuthorization: identity('par'),
    backchannelAuthentication: identity('backchannelAuthentication'),
    checkSessionIframe: identity('sessionIframe'),
    loginAuthenticate: identity('authenticate'),
    loginConsent: identity('consent'),
    fhirBase,
    smartConfiguration: `${fhirBase}${FHIR_ROUTES.smartConfiguration.path}`,
    smartStyle: `${origin}${LANDING_ROUTES.smartStyle.path}`,
  };
}

/**
 * Who a token read at `origin` must be addressed to: the realm there (`iss`) and the FHIR base
 * (`aud`), at `fhirPath` when the FHIR side is mounted elsewhere than {@link FHIR_PATH}.
 */
export function tokenRecipient(origin: string, fhirPath: string = FHIR_PATH): TokenRecipient {
  return { issuer: `${origin}${REALM_PATH}`, audience: `${origin}${fhirPath}` };
}
