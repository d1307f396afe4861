import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { parse } from 'node-html-parser';
import { createPkce, type Pkce, basicAuthorization } from '@patient-access/auth-core';
import { CookieJar, FORM_HEADERS, formBody } from '../../../../test-support/cookie-jar.js';
import {
  GUIDE_CLIENT,
  GUIDE_USERS,
  loginOf,
  type GuideUser,
} from '../../../../test-support/guide.js';
import { buildApp } from '../app.js';
import { AdjustableClock } from '../clock.js';
import type { MockConfig } from '../config.js';

/** The origin `app.inject` requests reach (Fastify's default Host). */
export const ORIGIN = 'http://localhost:80';
export const ISSUER = `${ORIGIN}/auth/realms/nextgen`;
export const FHIR_BASE = `${ORIGIN}/api/fhir/r4`;
export const OIDC = '/auth/realms/nextgen/protocol/openid-connect';
export const REDIRECT_URI: string = GUIDE_CLIENT.redirectUri;
export const CLIENT_ID: string = GUIDE_CLIENT.clientId;
export const CLIENT_SECRET: string = GUIDE_CLIENT.clientSecret;
export const PUBLIC_CLIENT_ID = 'patient-access-extension';
export const SCOPE =
  'openid fhirUser offline_access launch/patient patient/Patient.read patient/Condition.read';
export const ONLINE_SCOPE = 'openid fhirUser launch/patient patient/Patient.read';
/** What a patient-access app asks for: every resource of the launched patient. */
export const PATIENT_SCOPE = 'openid fhirUser launch/patient patient/*.read';

/** An app with its own adjustable clock. */
export async function testApp(
  config: Partial<MockConfig> = {},
): Promise<{ app: FastifyInstance; clock: AdjustableClock }> {
  const clock = new AdjustableClock();
  const app = await buildApp(config, { clock });
  return { app, clock };
}

export { CookieJar };

/** The absolute `action` of `form#<id>` in `html`. */
export function formActionUrl(html: string, id: string): URL {
  const action = parse(html).querySelector(`form#${id}`)?.getAttribute('action');
  if (!action) throw new Error(`No form#${id} in the page.`);
  return new URL(action);
}

/** The `action` of `form#<id>` in `html`, as a path for `app.inject`. */
export function formAction(html: string, id: string): string {
  const url = formActionUrl(html, id);
  return `${url.pathname}${url.search}`;
}

/** Authorize-request parameters for the confidential test client. */
export function authorizeParams(pkce: Pkce, overrides: Record<string, string | undefined> = {}) {
  const params: Record<string, string> = {};
  const all: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    scope: SCOPE,
    state: 'state-123',
    nonce: 'nonce-456',
    code_challenge: pkce.challenge,
    code_challenge_method: 'S256',
    aud: FHIR_BASE,
    ...overrides,
  };
  for (const [name, value] of Object.entries(all)) if (value !== undefined) params[name] = value;
  return params;
}

/** `GET auth` with `params`. */
export function authorize(
  app: FastifyInstance,
  params: Record<string, string>,
  jar = new CookieJar(),
): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'GET', url: `${OIDC}/auth`, query: params, headers: jar.header() });
}

/** Posts a form to `url` with the jar's cookies, keeping the cookies it sets. */
export async function postForm(
  app: FastifyInstance,
  url: string,
  form: Record<string, string | string[]>,
  jar: CookieJar,
): Promise<LightMyRequestResponse> {
  const response = await app.inject({
    method: 'POST',
    url,
    payload: formBody(form),
    headers: { ...FORM_HEADERS, ...jar.header() },
  });
  jar.store(response);
  return response;
}

/** Options of {@link obtainCode}. */
export interface CodeOptions {
  username?: string;
  password?: string;
  patient?: string;
  /** The checked scopes; default all that were offered. */
  scopes?: string[];
  /** More fields of the selection form (`encounter-<patient id>`). */
  form?: Record<string, string>;
  params?: Record<string, string | undefined>;
  jar?: CookieJar;
}

/** Runs authorize, login and selection; resolves to the code, its PKCE pair and the redirect. */
export async function obtainCode(app: FastifyInstance, options: CodeOptions = {}) {
  const jar = options.jar ?? new CookieJar();
  const pkce = await createPkce();
  const params = authorizeParams(pkce, options.params);
  const login = await authorize(app, params, jar);
  jar.store(login);
  let selection = login;
  if (login.body.includes('kc-form-login')) {
    selection = await postForm(
      app,
      formAction(login.body, 'kc-form-login'),
      {
        username: options.username ?? GUIDE_USERS.david.username,
        password: options.password ?? GUIDE_USERS.david.password,
      },
      jar,
    );
  }
  const offered = parse(selection.body)
    .querySelectorAll('input[name=scope]')
    .map((input) => input.getAttribute('value') ?? '');
  // As a browser submits the form: the pre-selected encounter radios unless the test picks one.
  const preselected = Object.fromEntries(
    parse(selection.body)
      .querySelectorAll('input[type=radio][checked]')
      .map((radio) => [radio.getAttribute('name') ?? '', radio.getAttribute('value') ?? ''])
      .filter(([name]) => name?.startsWith('encounter-')),
  );
  const redirect = await postForm(
    app,
    formAction(selection.body, 'kc-select-patient-form'),
    {
      patient: options.patient ?? GUIDE_USERS.david.patientId,
      scope: options.scopes ?? offered,
      accept: 'yes',
      ...preselected,
      ...options.form,
    },
    jar,
  );
  if (redirect.headers.location === undefined) {
    throw new Error(`The selection screen did not redirect: ${redirect.body}`);
  }
  const location = new URL(redirect.headers.location as string);
  return { code: location.searchParams.get('code') ?? '', pkce, location, jar, params, selection };
}

/** `POST /__admin/launches`: an EHR launch's `launch` value for `context`. */
export async function createLaunch(
  app: FastifyInstance,
  context: { patient: string; encounter?: string; user?: string },
): Promise<string> {
  const response = await app.inject({ method: 'POST', url: '/__admin/launches', payload: context });
  if (response.statusCode !== 201) throw new Error(`Launch refused: ${response.body}`);
  return response.json<{ launch: string }>().launch;
}

/**
 * Posts `form` to the OIDC endpoint `endpoint` (`token`, `revoke`, `token/introspect`) with
 * client_secret_basic, or with `client_id` in the body for a client given no secret.
 */
export function clientRequest(
  app: FastifyInstance,
  endpoint: string,
  form: Record<string, string>,
  auth: { clientId: string; secret?: string } = { clientId: CLIENT_ID, secret: CLIENT_SECRET },
  extraHeaders: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = { ...FORM_HEADERS, ...extraHeaders };
  const body = new URLSearchParams(form);
  if (auth.secret === undefined) body.set('client_id', auth.clientId);
  else headers.authorization = basicAuthorization(auth.clientId, auth.secret);
  return app.inject({
    method: 'POST',
    url: `${OIDC}/${endpoint}`,
    payload: body.toString(),
    headers,
  });
}

/** Posts to the token endpoint with client_secret_basic. */
export function tokenRequest(
  app: FastifyInstance,
  form: Record<string, string>,
  auth?: { clientId: string; secret?: string },
): Promise<LightMyRequestResponse> {
  return clientRequest(app, 'token', form, auth);
}

/** The logout endpoint's path with `params` as its query. */
export function logoutUrl(params: Record<string, string>): string {
  return `${OIDC}/logout?${new URLSearchParams(params).toString()}`;
}

/** Obtains a code and exchanges it; resolves to the parsed token response. */
export async function signIn(app: FastifyInstance, options: CodeOptions = {}) {
  const flow = await obtainCode(app, options);
  const response = await tokenRequest(app, {
    grant_type: 'authorization_code',
    code: flow.code,
    redirect_uri: REDIRECT_URI,
    code_verifier: flow.pkce.verifier,
  });
  if (response.statusCode !== 200) throw new Error(`Token exchange failed: ${response.body}`);
  return { ...flow, tokens: response.json<Record<string, unknown>>() };
}

/** Signs `user` in through the identity side's real screens; answers the access token. */
export async function accessTokenFor(
  app: FastifyInstance,
  user: GuideUser,
  scope = PATIENT_SCOPE,
): Promise<string> {
  const { tokens } = await signIn(app, {
    ...loginOf(user),
    patient: user.patientId,
    params: { scope },
  });
  return String(tokens.access_token);
}

/** Logs the browser of `jar` out through Keycloak's confirmation form. */
export async function logoutBrowser(app: FastifyInstance, jar: CookieJar): Promise<void> {
  const page = await postForm(app, `${OIDC}/logout`, {}, jar);
  const confirm = parse(page.body).querySelector('input[name=confirm]')?.getAttribute('value');
  if (!confirm) throw new Error('No logout confirmation form.');
  await postForm(app, `${OIDC}/logout`, { confirm }, jar);
}
