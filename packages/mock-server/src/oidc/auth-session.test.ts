import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GUIDE_USERS, loginOf } from '../../../../test-support/guide.js';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createPkce } from '@patient-access/auth-core';
import {
  authorize,
  authorizeParams,
  CookieJar,
  formAction,
  obtainCode,
  postForm,
  testApp,
} from '../test-support/identity-flow.js';
import { LOGIN_MESSAGES } from './login-actions.js';

let app: FastifyInstance;

beforeAll(async () => {
  ({ app } = await testApp());
});
afterAll(() => app.close());

/** Opens the login form in the browser of `jar`, which keeps the cookies it sets. */
async function loginPage(jar = new CookieJar()) {
  const response = await authorize(app, authorizeParams(await createPkce()), jar);
  jar.store(response);
  return { response, jar, action: formAction(response.body, 'kc-form-login') };
}

async function selectionPage() {
  const { jar, action } = await loginPage();
  const response = await postForm(app, action, loginOf(GUIDE_USERS.david), jar);
  return { jar, action: formAction(response.body, 'kc-select-patient-form') };
}

async function signedInUsers(): Promise<string[]> {
  const response = await app.inject({ method: 'GET', url: '/__admin/sessions' });
  return response.json<{ sessions: { id: string }[] }>().sessions.map((session) => session.id);
}

function expectCookieNotFound(response: LightMyRequestResponse): void {
  expect(response.statusCode).toBe(200);
  expect(response.headers.location).toBeUndefined();
  expect(response.body).toContain(LOGIN_MESSAGES.cookieNotFound);
  expect(response.body).not.toContain('kc-select-patient-form');
  expect(response.cookies.map((cookie) => cookie.name)).not.toContain('KEYCLOAK_IDENTITY');
}

describe('AUTH_SESSION_ID cookie', () => {
  test('is set by authorize as an HttpOnly browser-session cookie scoped to the realm', async () => {
    const { response } = await loginPage();
    const cookie = response.cookies.find((entry) => entry.name === 'AUTH_SESSION_ID');
    expect(cookie).toMatchObject({
      httpOnly: true,
      sameSite: 'Lax',
      path: '/auth/realms/nextgen/',
    });
    expect(cookie?.secure).toBeUndefined();
    expect(cookie?.maxAge).toBeUndefined();
  });

  test('is SameSite=None and Secure behind an HTTPS public URL', async () => {
    const { app: proxied } = await testApp({ publicUrl: 'https://mock.example' });
    const pkce = await createPkce();
    const response = await proxied.inject({
      method: 'GET',
      url: '/auth/realms/nextgen/protocol/openid-connect/auth',
      query: authorizeParams(pkce, { aud: 'https://mock.example/api/fhir/r4' }),
      headers: { 'x-forwarded-proto': 'https' },
    });
    await proxied.close();
    const cookie = response.cookies.find((entry) => entry.name === 'AUTH_SESSION_ID');
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'None' });
  });

  test('keeps the browser’s session for a second attempt, so both tabs can sign in', async () => {
    const first = await loginPage();
    const second = await loginPage(first.jar);
    const value = (response: LightMyRequestResponse) =>
      response.cookies.find((cookie) => cookie.name === 'AUTH_SESSION_ID')?.value;
    expect(value(second.response)).toBe(value(first.response));
    const response = await postForm(app, first.action, loginOf(GUIDE_USERS.david), first.jar);
    expect(response.body).toContain('kc-select-patient-form');
  });

  test('replaces a value the server never issued', async () => {
    const jar = new CookieJar();
    jar.cookies.set('AUTH_SESSION_ID', 'chosen-by-someone-else');
    const { response } = await loginPage(jar);
    const cookie = response.cookies.find((entry) => entry.name === 'AUTH_SESSION_ID');
    expect(cookie?.value).toMatch(/^[\w-]{43}$/);
  });
});

describe('login-actions/authenticate bound to the browser', () => {
  test('shows the cookie-not-found page and signs nobody in without the cookie', async () => {
    const { action } = await loginPage();
    const before = await signedInUsers();
    const response = await postForm(app, action, loginOf(GUIDE_USERS.david), new CookieJar());
    expectCookieNotFound(response);
    expect(await signedInUsers()).toEqual(before);
  });

  test('refuses a login CSRF: the attacker’s form posted from the victim’s browser', async () => {
    const attacker = await loginPage();
    const victim = await loginPage();
    const before = await signedInUsers();
    const response = await postForm(
      app,
      attacker.action,
      { username: GUIDE_USERS.anna.username, password: 'password' },
      victim.jar,
    );
    expectCookieNotFound(response);
    expect(victim.jar.cookies.has('KEYCLOAK_IDENTITY')).toBe(false);
    expect(await signedInUsers()).toEqual(before);
  });

  test('leaves the attempt usable from the browser that started it', async () => {
    const { jar, action } = await loginPage();
    await postForm(app, action, loginOf(GUIDE_USERS.david), new CookieJar());
    const response = await postForm(app, action, loginOf(GUIDE_USERS.david), jar);
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('kc-select-patient-form');
  });
});

describe('login-actions/consent bound to the browser', () => {
  test('refuses a selection post without the cookie and issues no code', async () => {
    const { action } = await selectionPage();
    const response = await postForm(
      app,
      action,
      { patient: '428946492', accept: 'yes' },
      new CookieJar(),
    );
    expectCookieNotFound(response);
  });

  test('refuses a selection post with another authentication session’s cookie', async () => {
    const { action } = await selectionPage();
    const other = await loginPage();
    const response = await postForm(
      app,
      action,
      { patient: '428946492', accept: 'yes' },
      other.jar,
    );
    expectCookieNotFound(response);
  });

  test('completes the flow for a browser that keeps its cookies', async () => {
    const { code, location } = await obtainCode(app);
    expect(code).not.toBe('');
    expect(location.searchParams.get('state')).toBe('state-123');
  });
});
