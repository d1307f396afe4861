import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GUIDE_USERS, loginOf } from '../../../../test-support/guide.js';
import type { FastifyInstance } from 'fastify';
import { parse } from 'node-html-parser';
import { createPkce } from '@patient-access/auth-core';
import {
  authorize,
  authorizeParams,
  CookieJar,
  formAction,
  obtainCode,
  postForm,
  REDIRECT_URI,
  testApp,
  tokenRequest,
} from '../test-support/identity-flow.js';
import { LOGIN_MESSAGES } from './login-actions.js';

let app: FastifyInstance;

beforeAll(async () => {
  ({ app } = await testApp({ lockout: { maxFailures: 3, lockSeconds: 60 } }));
});
afterAll(() => app.close());

async function loginPage(
  jar = new CookieJar(),
  overrides: Record<string, string> = {},
  target: FastifyInstance = app,
) {
  const response = await authorize(target, authorizeParams(await createPkce(), overrides), jar);
  jar.store(response);
  return { response, jar, action: formAction(response.body, 'kc-form-login') };
}

async function selectionPage(
  username: string = GUIDE_USERS.david.username,
  password: string = GUIDE_USERS.david.password,
) {
  const { jar, action } = await loginPage();
  const response = await postForm(app, action, { username, password }, jar);
  return { response, jar, action: formAction(response.body, 'kc-select-patient-form') };
}

describe('login page', () => {
  test('has Keycloak’s form shape with the realm’s name and no external resources', async () => {
    const { response, action } = await loginPage();
    const root = parse(response.body);
    expect(root.querySelector('form#kc-form-login input[name=username]')).not.toBeNull();
    expect(root.querySelector('form#kc-form-login input[name=password]')).not.toBeNull();
    expect(root.querySelector('#kc-login')?.getAttribute('type')).toBe('submit');
    expect(action).toMatch(
      /^\/auth\/realms\/nextgen\/login-actions\/authenticate\?session_code=[\w-]+&execution=[\w-]+&client_id=yourHealthFile&tab_id=[\w-]+$/,
    );
    expect(root.querySelector('title')?.text).toBe('Sign in to nextgen');
    expect(root.querySelectorAll('script, link, img, iframe')).toHaveLength(0);
    expect(root.querySelector('label[for=username]')).not.toBeNull();
  });

  test('shows the same page with an error and HTTP 200 after a wrong password', async () => {
    const { jar, action } = await loginPage();
    const response = await postForm(
      app,
      action,
      { username: GUIDE_USERS.anna.username, password: 'nope' },
      jar,
    );
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('id="kc-form-login"');
    expect(response.body).toContain(LOGIN_MESSAGES.invalidCredentials);
  });

  test('answers an unknown username like a wrong password', async () => {
    const { jar, action } = await loginPage();
    const response = await postForm(app, action, { username: 'ghost', password: 'x' }, jar);
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain(LOGIN_MESSAGES.invalidCredentials);
  });

  test('locks an account after repeated failures, even for the right password', async () => {
    for (let i = 0; i < 3; i++) {
      const { jar, action } = await loginPage();
      await postForm(app, action, { username: GUIDE_USERS.alex.username, password: 'wrong' }, jar);
    }
    const { jar, action } = await loginPage();
    const response = await postForm(app, action, loginOf(GUIDE_USERS.alex), jar);
    expect(response.statusCode).toBe(200);
    expect(parse(response.body).querySelector('form#kc-form-login')).not.toBeNull();
    expect(response.body).toContain(LOGIN_MESSAGES.invalidCredentials);
  });

  test('lifts a lockout once the adjustable clock passes its end', async () => {
    const { app: own, clock } = await testApp({ lockout: { maxFailures: 1, lockSeconds: 60 } });
    try {
      const page = () => loginPage(new CookieJar(), {}, own);
      const first = await page();
      await postForm(
        own,
        first.action,
        { username: GUIDE_USERS.anna.username, password: 'wrong' },
        first.jar,
      );
      clock.advance(61_000);
      const second = await page();
      const response = await postForm(own, second.action, loginOf(GUIDE_USERS.anna), second.jar);
      expect(response.body).toContain('kc-select-patient-form');
    } finally {
      await own.close();
    }
  });

  test('refuses a replayed form post with a stale session_code', async () => {
    const { jar, action } = await loginPage();
    await postForm(app, action, { username: GUIDE_USERS.david.username, password: 'wrong' }, jar);
    const replay = await postForm(app, action, loginOf(GUIDE_USERS.david), jar);
    expect(replay.statusCode).toBe(200);
    expect(replay.body).toContain(LOGIN_MESSAGES.expired);
    expect(replay.body).not.toContain('kc-select-patient-form');
  });

  test('answers an unknown tab_id of a browser with a login attempt with the timed-out page', async () => {
    const { jar } = await loginPage();
    const response = await postForm(
      app,
      '/auth/realms/nextgen/login-actions/authenticate?session_code=x&tab_id=unknown',
      loginOf(GUIDE_USERS.david),
      jar,
    );
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain(LOGIN_MESSAGES.expired);
  });

  test('answers a browser without AUTH_SESSION_ID with Cookie not found, whatever its tab_id', async () => {
    const response = await postForm(
      app,
      '/auth/realms/nextgen/login-actions/authenticate?session_code=x&tab_id=unknown',
      loginOf(GUIDE_USERS.david),
      new CookieJar(),
    );
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain(LOGIN_MESSAGES.cookieNotFound);
  });

  test('sets an HttpOnly KEYCLOAK_IDENTITY and a script-readable KEYCLOAK_SESSION, as Keycloak 17', async () => {
    const { jar, action } = await loginPage();
    const response = await postForm(app, action, loginOf(GUIDE_USERS.david), jar);
    const identity = response.cookies.find((cookie) => cookie.name === 'KEYCLOAK_IDENTITY');
    expect(identity).toMatchObject({
      httpOnly: true,
      sameSite: 'Lax',
      path: '/auth/realms/nextgen/',
    });
    const session = response.cookies.find((cookie) => cookie.name === 'KEYCLOAK_SESSION');
    expect(session).toMatchObject({ sameSite: 'Lax', path: '/auth/realms/nextgen/' });
    expect(session?.httpOnly).toBeUndefined();
    // Raw slashes, as Keycloak writes them: the session iframe's script splits on them.
    const header = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
    expect(header.find((line) => line.startsWith('KEYCLOAK_SESSION='))).toMatch(
      /^KEYCLOAK_SESSION=nextgen\/[\w-]+\/[\w-]+;/,
    );
  });

  test('escapes a hostile username echoed back into the form', async () => {
    const { jar, action } = await loginPage();
    const response = await postForm(
      app,
      action,
      { username: '"><script>x()</script>', password: 'x' },
      jar,
    );
    expect(response.body).not.toContain('<script>');
    expect(response.body).toContain('&quot;&gt;&lt;script&gt;');
  });
});

describe('selection screen', () => {
  test('pre-selects the account’s own patient and lists its dependent', async () => {
    const { response } = await selectionPage();
    const radios = parse(response.body).querySelectorAll('input[type=radio][name=patient]');
    expect(radios.map((radio) => radio.getAttribute('value'))).toEqual(['428946492', '429119572']);
    expect(radios[0]?.hasAttribute('checked')).toBe(true);
    expect(radios[1]?.hasAttribute('checked')).toBe(false);
  });

  test('shows patient names from the record', async () => {
    const { response } = await selectionPage();
    expect(response.body).toMatch(/Smith, David/i);
    expect(response.body).toMatch(/Smith, Alex/i);
  });

  test('lists the requested resource scopes as checked checkboxes', async () => {
    const { response } = await selectionPage();
    const boxes = parse(response.body).querySelectorAll('input[type=checkbox][name=scope]');
    expect(boxes.map((box) => box.getAttribute('value'))).toEqual([
      'patient/Patient.read',
      'patient/Condition.read',
    ]);
    expect(boxes.every((box) => box.hasAttribute('checked'))).toBe(true);
    expect(parse(response.body).querySelector('#kc-accept')).not.toBeNull();
  });

  test('allows the client’s redirect origin in the form-action of its CSP', async () => {
    const { response } = await selectionPage();
    expect(response.headers['content-security-policy']).toContain(
      `form-action 'self' ${new URL(REDIRECT_URI).origin}`,
    );
  });

  test('shrinks the granted scope to the checked permissions', async () => {
    const { code, pkce } = await obtainCode(app, { scopes: ['patient/Condition.read'] });
    const response = await tokenRequest(app, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: pkce.verifier,
    });
    expect(response.json().scope).toBe(
      'openid fhirUser offline_access launch/patient patient/Condition.read',
    );
  });

  test('grants the chosen dependent as the patient', async () => {
    const { code, pkce } = await obtainCode(app, { patient: '429119572' });
    const response = await tokenRequest(app, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: pkce.verifier,
    });
    expect(response.json().patient).toBe('429119572');
  });

  test('refuses a patient outside the account and shows the screen again', async () => {
    const { jar, action } = await selectionPage();
    const response = await postForm(app, action, { patient: '428946523', accept: 'yes' }, jar);
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain(LOGIN_MESSAGES.choosePatient);
  });

  test('redirects with access_denied when the patient cancels', async () => {
    const { jar, action } = await selectionPage();
    const response = await postForm(app, action, { cancel: 'yes' }, jar);
    expect(response.statusCode).toBe(302);
    const location = new URL(response.headers.location as string);
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('state-123');
  });

  test('ignores scopes that were never requested', async () => {
    const { code, pkce } = await obtainCode(app, {
      scopes: ['patient/Patient.read', 'patient/Observation.read'],
    });
    const response = await tokenRequest(app, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: pkce.verifier,
    });
    expect(response.json().scope).not.toContain('Observation');
  });
});
