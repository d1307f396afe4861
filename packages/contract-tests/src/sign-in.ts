import {
  buildAuthorizationRequest,
  parseCallback,
  type AuthorizationRequest,
  type ClientConfig,
  type ServerProfile,
} from '@patient-access/auth-core';
import { BrowserSession, type BrowserStep } from './browser-session.js';
import {
  findForm,
  formChoices,
  outlineForm,
  pageErrorMessage,
  parseHtml,
  submitForm,
  type FormOutline,
  type FormSubmission,
} from './html-form.js';

/** Stable codes of {@link SignInError}. */
export type SignInErrorCode =
  'ERR_SIGN_IN_REJECTED' | 'ERR_SIGN_IN_PAGE' | 'ERR_SIGN_IN_LOOP' | 'ERR_PATIENT_NOT_OFFERED';

/** The headless sign-in could not reach the redirect URI; `code` says why. */
export class SignInError extends Error {
  readonly code: SignInErrorCode;
  /** The HTTP status of the page that stopped the sign-in, when there was one. */
  readonly status: number | undefined;

  constructor(code: SignInErrorCode, message: string, status?: number) {
    super(message);
    this.name = 'SignInError';
    this.code = code;
    this.status = status;
  }
}

/**
 * Options of {@link signInHeadless}: the scopes of a request the driver builds, or a request the
 * caller built (an app's own, through the auth core) to sign in through.
 */
export type HeadlessSignInOptions = HeadlessSignInCommon &
  (
    | {
        /** Space-separated scopes to request. */
        scope: string;
        /** Extra authorize parameters (e.g. `prompt`). */
        extraParams?: Record<string, string>;
      }
    | { request: AuthorizationRequest }
  );

interface HeadlessSignInCommon {
  profile: ServerProfile;
  /** The client; the sign-in stops at its `redirectUri`. */
  client: ClientConfig;
  username: string;
  password: string;
  /** The FHIR Patient id to pick on the selection screen; default: the one the page pre-selects. */
  patient?: string;
  fetch?: typeof fetch;
  signal?: AbortSignal;
  /** Upper bound on requests, against redirect loops. Default 20. */
  maxSteps?: number;
}

/** What a headless sign-in returns: the callback and what the client needs to exchange its code. */
export interface HeadlessSignInResult {
  /**
   * The redirect URI with the response's parameters (`code`, `state`, `session_state`) as its
   * query, whichever way they came; never requested.
   */
  callbackUrl: URL;
  /** How the response came: in the query, the fragment, or posted by a form (`form_post`). */
  responseMode: 'query' | 'fragment' | 'form_post';
  /** Empty for a JWT-secured response (JARM), whose `response` parameter the caller validates. */
  code: string;
  state: string;
  sessionState?: string;
  /** The authorization request made, with the PKCE verifier and the nonce. */
  request: AuthorizationRequest;
  /** Each request made, without queries or bodies. */
  steps: BrowserStep[];
  /** The forms submitted, by id and control names. */
  forms: FormOutline[];
}

const LOGIN_FORM = 'form#kc-form-login';
// Keycloak's consent and NextGen's selection screen name their accept button differently.
const ACCEPT_BUTTON = '#kc-accept, #kc-login, [name="accept"]';

function isRedirectUri(url: URL, redirectUri: string): boolean {
  const target = new URL(redirectUri);
  return url.origin === target.origin && url.pathname === target.pathname;
}

function loginRejected(message: string | undefined, status: number): SignInError {
  return new SignInError(
    'ERR_SIGN_IN_REJECTED',
    `The identity provider refused the credentials: ${message ?? 'the login form was shown again'}`,
    status,
  );
}

function unexpectedPage(url: URL, status: number, message: string | undefined): SignInError {
  const where = `${url.origin}${url.pathname}`;
  return new SignInError(
    'ERR_SIGN_IN_PAGE',
    `Unexpected page at ${where} (HTTP ${status})${message ? `: ${message}` : ''}`,
    status,
  );
}

/**
 * Signs a user in the way a browser would, over plain HTTP: opens the authorize URL the auth core
 * builds, fills Keycloak's login form (`form#kc-form-login`, with its hidden inputs), submits the
 * next form (NextGen's patient selection, or Keycloak's consent) with its defaults or the chosen
 * patient, follows redirects by hand and stops at the client's redirect URI without requesting it.
 * The callback is checked by the auth core (`state`, `iss`, `error`).
 */
export async function signInHeadless(
  options: HeadlessSignInOptions,
): Promise<HeadlessSignInResult> {
  const request =
    'request' in options
      ? options.request
      : await buildAuthorizationRequest({
          profile: options.profile,
          client: options.client,
          scope: options.scope,
          ...(options.extraParams ? { extraParams: options.extraParams } : {}),
        });
  const session = new BrowserSession({
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const forms: FormOutline[] = [];
  let next: FormSubmission = { method: 'GET', action: request.url, fields: [] };
  let loginSubmitted = false;

  for (let step = 0; step < (options.maxSteps ?? 20); step += 1) {
    const url =
      next.method === 'GET' && next.fields.length > 0
        ? withQuery(next.action, next.fields)
        : next.action;
    if (isRedirectUri(url, options.client.redirectUri)) {
      const delivered = deliveredParameters(url, next);
      const callbackUrl = new URL(`${url.origin}${url.pathname}`);
      callbackUrl.search = delivered.params.toString();
      // A JWT-secured response (JARM) is one signed `response` the caller validates.
      const callback = delivered.params.has('response')
        ? undefined
        : parseCallback(callbackUrl, { state: request.state, issuer: options.profile.issuer });
      return {
        callbackUrl,
        responseMode: delivered.mode,
        code: callback?.code ?? '',
        state: request.state,
        ...(callback?.sessionState ? { sessionState: callback.sessionState } : {}),
        request,
        steps: session.steps,
        forms,
      };
    }
    const response = await session.request(
      next.method,
      url,
      next.method === 'POST' ? next.fields : undefined,
    );
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      // 307/308 repeat the request; 302/303 (what Keycloak sends) turn it into a GET.
      const keep = response.status === 307 || response.status === 308;
      next = keep
        ? { ...next, action: new URL(location, url) }
        : { method: 'GET', action: new URL(location, url), fields: [] };
      continue;
    }
    const page = parseHtml(response.body);
    if (response.status !== 200) throw unexpectedPage(url, response.status, pageErrorMessage(page));
    const loginForm = findForm(page, LOGIN_FORM);
    if (loginForm) {
      if (loginSubmitted) throw loginRejected(loginErrorMessage(page), response.status);
      loginSubmitted = true;
      forms.push(outlineForm(loginForm));
      next = submitForm(loginForm, url, {
        values: { username: options.username, password: options.password },
      });
      continue;
    }
    const form = findForm(page);
    // Keycloak's info page (after a required action) offers a "proceed" link instead of a form.
    const proceed = page.querySelector('#kc-info-message a[href]')?.getAttribute('href');
    if (!form && proceed) {
      next = { method: 'GET', action: new URL(proceed, url), fields: [] };
      continue;
    }
    if (!form) throw unexpectedPage(url, response.status, pageErrorMessage(page));
    forms.push(outlineForm(form));
    next = submitForm(form, url, {
      radios: options.patient ? choosePatient(page, form, options.patient) : {},
      ...(form.querySelector(ACCEPT_BUTTON) ? { submitter: ACCEPT_BUTTON } : {}),
    });
  }
  throw new SignInError(
    'ERR_SIGN_IN_LOOP',
    `The sign-in did not reach ${options.client.redirectUri} within ${options.maxSteps ?? 20} requests`,
  );
}

/**
 * The authorization response's parameters at the redirect URI: the fields a `form_post` page
 * posts, the fragment, or the query.
 * @see https://openid.net/specs/oauth-v2-form-post-response-mode-1_0.html
 * @see https://openid.net/specs/oauth-v2-multiple-response-types-1_0.html#ResponseModes
 */
function deliveredParameters(
  url: URL,
  submission: FormSubmission,
): { mode: HeadlessSignInResult['responseMode']; params: URLSearchParams } {
  if (submission.method === 'POST') {
    return { mode: 'form_post', params: new URLSearchParams(submission.fields) };
  }
  if (url.hash.length > 1)
    return { mode: 'fragment', params: new URLSearchParams(url.hash.slice(1)) };
  return { mode: 'query', params: url.searchParams };
}

function withQuery(action: URL, fields: Array<[string, string]>): URL {
  const url = new URL(action);
  url.search = new URLSearchParams(fields).toString();
  return url;
}

function loginErrorMessage(page: ReturnType<typeof parseHtml>): string | undefined {
  return (
    pageErrorMessage(page) ??
    (page.querySelector('.kc-feedback-text')?.text.replace(/\s+/g, ' ').trim() || undefined)
  );
}

function choosePatient(
  page: ReturnType<typeof parseHtml>,
  form: NonNullable<ReturnType<typeof findForm>>,
  patient: string,
): Record<string, string> {
  const radios = formChoices(page, form).filter((choice) => choice.type === 'radio');
  const match =
    radios.find((choice) => choice.value === patient) ??
    radios.find((choice) => choice.value.endsWith(`/${patient}`)) ??
    radios.find((choice) => choice.label.includes(patient));
  if (!match) {
    const offered = radios.map((choice) => choice.value).join(', ') || 'none';
    throw new SignInError(
      'ERR_PATIENT_NOT_OFFERED',
      `Patient ${patient} is not offered on the selection screen (offered: ${offered})`,
    );
  }
  return { [match.name]: match.value };
}
