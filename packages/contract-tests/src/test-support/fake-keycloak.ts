/**
 * A stand-in for a real Keycloak realm behind NextGen, as a `fetch` function: the pages are
 * Keycloak's own markup (the `keycloak` login theme's `login.ftl` and `login-oauth-grant.ftl`),
 * with absolute `action` URLs, `&amp;`-escaped queries, a hidden `credentialId`, a remember-me
 * checkbox, a session cookie, and 302s between steps. It lets the driver be tested on the markup
 * it meets in production without a network.
 */
export interface FakeKeycloakOptions {
  origin?: string;
  username?: string;
  password?: string;
  /** The patients of the selection screen, the first pre-selected. */
  patients?: Array<{ id: string; name: string }>;
}

/** What the fake saw, for assertions. */
export interface FakeKeycloakLog {
  loginForms: URLSearchParams[];
  selectionForms: URLSearchParams[];
  cookiesSeen: string[];
}

const ISSUER_PATH = '/auth/realms/nextgen';

function html(body: string, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(
    `<!DOCTYPE html><html><head><title>Sign in to NextGen</title></head><body>${body}</body></html>`,
    {
      status,
      headers: { 'content-type': 'text/html;charset=utf-8', ...headers },
    },
  );
}

function redirect(location: string, headers: Record<string, string> = {}): Response {
  return new Response(null, { status: 302, headers: { location, ...headers } });
}

function loginPage(origin: string, error?: string): Response {
  const action = `${origin}${ISSUER_PATH}/login-actions/authenticate?session_code=Zx9_code&amp;execution=6f0c8a2e-1b4d&amp;client_id=yourHealthFile&amp;tab_id=Tb1`;
  return html(`
<div id="kc-content"><div id="kc-content-wrapper">
${error ? `<div class="alert-error pf-c-alert pf-m-inline pf-m-danger"><span class="kc-feedback-text">${error}</span></div>` : ''}
<form id="kc-form-login" onsubmit="login.disabled = true; return true;" action="${action}" method="post">
  <div class="form-group">
    <label for="username" class="pf-c-form__label pf-c-form__label-text">Username or email</label>
    <input tabindex="1" id="username" class="pf-c-form-control" name="username" value="" type="text" autofocus autocomplete="off" aria-invalid="${error ? 'true' : 'false'}"/>
    ${error ? `<span id="input-error" class="pf-c-form__helper-text pf-m-error required kc-feedback-text" aria-live="polite">${error}</span>` : ''}
  </div>
  <div class="form-group">
    <label for="password" class="pf-c-form__label pf-c-form__label-text">Password</label>
    <input tabindex="2" id="password" class="pf-c-form-control" name="password" type="password" autocomplete="off"/>
  </div>
  <div class="form-group login-pf-settings"><div id="kc-form-options"><div class="checkbox">
    <label><input tabindex="3" id="rememberMe" name="rememberMe" type="checkbox"> Remember me</label>
  </div></div></div>
  <div id="kc-form-buttons" class="form-group">
    <input type="hidden" id="id-hidden-input" name="credentialId"/>
    <input tabindex="4" class="pf-c-button pf-m-primary pf-m-block btn-lg" name="login" id="kc-login" type="submit" value="Sign In"/>
  </div>
</form></div></div>`);
}

function selectionPage(origin: string, patients: Array<{ id: string; name: string }>): Response {
  const radios = patients
    .map(
      (patient, index) =>
        `<div class="radio"><input type="radio" id="p-${patient.id}" name="patient" value="${patient.id}"${index === 0 ? ' checked' : ''}><label for="p-${patient.id}">${patient.name}</label></div>`,
    )
    .join('\n');
  return html(`
<form id="kc-select-patient" class="form-actions" action="${origin}${ISSUER_PATH}/login-actions/consent?client_id=yourHealthFile&amp;tab_id=Tb1" method="POST">
  <input type="hidden" name="code" value="consent-code-1">
  <fieldset><legend>Whose record do you want to share?</legend>${radios}</fieldset>
  <fieldset><legend>Permissions</legend>
    <label><input type="checkbox" name="scope" value="patient/Patient.read" checked> Demographics</label>
    <label><input type="checkbox" name="scope" value="patient/Condition.read" checked> Problems</label>
  </fieldset>
  <input class="pf-c-button pf-m-primary" name="accept" id="kc-login" type="submit" value="Yes"/>
  <input class="pf-c-button pf-m-secondary" name="cancel" id="kc-cancel" type="submit" value="No"/>
</form>`);
}

/** Keycloak's `form_post` page: hidden inputs and a self-submitting form to the redirect URI. */
function formPostPage(callback: URL): Response {
  const inputs = [...callback.searchParams]
    .map(([name, value]) => `<INPUT TYPE="HIDDEN" NAME="${name}" VALUE="${value}" />`)
    .join('\n');
  return new Response(
    `<HTML><HEAD><TITLE>Submit This Form</TITLE></HEAD><BODY Onload="javascript:document.forms[0].submit()"><FORM METHOD="POST" ACTION="${callback.origin}${callback.pathname}">${inputs}<NOSCRIPT><P>JavaScript is disabled. We strongly recommend to enable it. Click the button below to continue .</P><INPUT name="continue" TYPE="SUBMIT" VALUE="CONTINUE" /></NOSCRIPT></FORM></BODY></HTML>`,
    { status: 200, headers: { 'content-type': 'text/html;charset=utf-8' } },
  );
}

/** A Keycloak-shaped sign-in as a `fetch`; `log` records the forms it received. */
export function fakeKeycloak(options: FakeKeycloakOptions = {}): {
  fetch: typeof fetch;
  log: FakeKeycloakLog;
} {
  const origin = options.origin ?? 'https://idp.example.test';
  const username = options.username ?? 'DavidFHIR';
  const password = options.password ?? 'password';
  const patients = options.patients ?? [
    { id: '428946492', name: 'Smith, David' },
    { id: '429119572', name: 'Smith, Alex' },
  ];
  const log: FakeKeycloakLog = { loginForms: [], selectionForms: [], cookiesSeen: [] };
  let authorize: URLSearchParams | undefined;

  const fakeFetch: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const cookie = new Headers(init?.headers).get('cookie') ?? '';
    log.cookiesSeen.push(cookie);
    const body = new URLSearchParams(
      typeof init?.body === 'string' ? init.body : init?.body?.toString(),
    );
    const path = url.pathname;
    if (path === `${ISSUER_PATH}/protocol/openid-connect/auth`) {
      authorize = url.searchParams;
      return redirect(
        `${origin}${ISSUER_PATH}/login-actions/authenticate?client_id=yourHealthFile&tab_id=Tb1`,
        {
          'set-cookie': `AUTH_SESSION_ID=s1.node; Path=${ISSUER_PATH}/; Secure; HttpOnly; SameSite=None`,
        },
      );
    }
    if (!cookie.includes('AUTH_SESSION_ID=s1.node')) {
      return html(
        '<div id="kc-error-message"><p class="instruction">Cookie not found. Please make sure cookies are enabled in your browser.</p></div>',
        400,
      );
    }
    if (path === `${ISSUER_PATH}/login-actions/authenticate` && init?.method !== 'POST') {
      return loginPage(origin);
    }
    if (path === `${ISSUER_PATH}/login-actions/authenticate`) {
      log.loginForms.push(body);
      if (body.get('username') !== username || body.get('password') !== password) {
        return loginPage(origin, 'Invalid username or password.');
      }
      return redirect(
        `${origin}${ISSUER_PATH}/login-actions/required-action?execution=select-patient`,
      );
    }
    if (path === `${ISSUER_PATH}/login-actions/required-action`)
      return selectionPage(origin, patients);
    if (path === `${ISSUER_PATH}/login-actions/consent`) {
      log.selectionForms.push(body);
      const callback = new URL(
        authorize?.get('redirect_uri') ?? 'https://client.example.test/callback',
      );
      callback.searchParams.set('state', authorize?.get('state') ?? '');
      callback.searchParams.set('session_state', '6e1c0a52-7f2b-4f7e-9c1d-2f3a4b5c6d7e');
      callback.searchParams.set('code', `code-for-${body.get('patient')}`);
      const mode = authorize?.get('response_mode');
      if (mode === 'fragment') {
        callback.hash = callback.searchParams.toString();
        callback.search = '';
      }
      if (mode === 'form_post') return formPostPage(callback);
      return redirect(callback.href);
    }
    return html('<div id="kc-error-message"><p class="instruction">Page not found</p></div>', 404);
  };
  return { fetch: fakeFetch, log };
}
