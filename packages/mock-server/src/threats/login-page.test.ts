import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GUIDE_USERS, loginOf } from '../../../../test-support/guide.js';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { parse } from 'node-html-parser';
import { createPkce, type Pkce } from '@patient-access/auth-core';
import {
  checkProperty,
  expectHardenedHtml,
  FUZZ_TIMEOUT_MS,
  hostileText,
  wellFormed,
} from '../fuzz/harness.js';
import {
  authorize,
  authorizeParams,
  CookieJar,
  formAction,
  OIDC,
  postForm,
  testApp,
} from '../test-support/identity-flow.js';

let app: FastifyInstance;
let pkce: Pkce;

beforeAll(async () => {
  ({ app } = await testApp({ rateLimit: { loginPerMinute: 0, tokenPerMinute: 0 } }));
  pkce = await createPkce();
});
afterAll(() => app.close());

/** No element of the page runs script: no `<script>`, no `on*` handler, no `javascript:` URL. */
function expectInert(response: LightMyRequestResponse): void {
  const root = parse(response.body);
  expect(root.querySelectorAll('script, iframe, object, embed, img')).toHaveLength(0);
  for (const element of root.querySelectorAll('*')) {
    for (const [name, value] of Object.entries(element.attributes)) {
      expect(name.toLowerCase().startsWith('on')).toBe(false);
      expect(value.trim().toLowerCase().startsWith('javascript:')).toBe(false);
    }
  }
}

describe('XSS in the login page', () => {
  test(
    'echoes a hostile login_hint only as the text of the username field',
    async () => {
      await checkProperty(
        fc.asyncProperty(hostileText, async (hint) => {
          const text = wellFormed(hint).replace(/\p{Cc}/gu, '');
          const response = await authorize(app, authorizeParams(pkce, { login_hint: text }));
          expect(response.statusCode).toBe(200);
          expectInert(response);
          if (text !== '') {
            const input = parse(response.body).querySelector('input#username');
            expect(input?.getAttribute('value')).toBe(text);
          }
        }),
        200,
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  test(
    'echoes a hostile posted username only as the text of the username field',
    async () => {
      await checkProperty(
        fc.asyncProperty(hostileText, async (username) => {
          const jar = new CookieJar();
          const login = await authorize(app, authorizeParams(pkce), jar);
          jar.store(login);
          const text = wellFormed(username).replace(/\p{Cc}/gu, '');
          const response = await postForm(
            app,
            formAction(login.body, 'kc-form-login'),
            { username: text, password: 'wrong' },
            jar,
          );
          expect(response.statusCode).toBe(200);
          expectInert(response);
        }),
        150,
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

describe('clickjacking', () => {
  test('every HTML page forbids framing', async () => {
    const jar = new CookieJar();
    const login = await authorize(app, authorizeParams(pkce), jar);
    jar.store(login);
    const selection = await postForm(
      app,
      formAction(login.body, 'kc-form-login'),
      loginOf(GUIDE_USERS.david),
      jar,
    );
    const pages = [
      login,
      selection,
      await app.inject({ method: 'GET', url: '/' }),
      await app.inject({ method: 'GET', url: `${OIDC}/auth?client_id=unknown` }),
      await app.inject({ method: 'GET', url: `${OIDC}/logout`, headers: jar.header() }),
      await app.inject({
        method: 'POST',
        url: '/auth/realms/nextgen/login-actions/authenticate?tab_id=gone',
      }),
    ];
    for (const page of pages) expectHardenedHtml(page);
  });
});

describe('brute force', () => {
  test('rate-limits login posts per client with 429 temporarily_unavailable', async () => {
    const { app: limited } = await testApp({ rateLimit: { loginPerMinute: 2, tokenPerMinute: 0 } });
    const post = () =>
      limited.inject({ method: 'POST', url: '/auth/realms/nextgen/login-actions/authenticate' });
    await post();
    await post();
    const response = await post();
    await limited.close();
    expect(response.statusCode).toBe(429);
    expect(response.json<{ error: string }>().error).toBe('temporarily_unavailable');
  });
});

describe('CSRF on the login screens', () => {
  test('refuses a selection post that carries the login form’s session code', async () => {
    const jar = new CookieJar();
    const login = await authorize(app, authorizeParams(pkce), jar);
    jar.store(login);
    const loginAction = formAction(login.body, 'kc-form-login');
    await postForm(app, loginAction, loginOf(GUIDE_USERS.david), jar);
    // An attacker who saw the login form's URL cannot drive the next screen with it.
    const forged = loginAction.replace('/authenticate?', '/consent?');
    const response = await postForm(app, forged, { patient: '428946492', accept: 'yes' }, jar);
    expect(response.statusCode).toBe(400);
    expect(response.headers.location).toBeUndefined();
  });

  test('refuses to replay a selection post once it has issued its code', async () => {
    const jar = new CookieJar();
    const login = await authorize(app, authorizeParams(pkce), jar);
    jar.store(login);
    const selection = await postForm(
      app,
      formAction(login.body, 'kc-form-login'),
      loginOf(GUIDE_USERS.david),
      jar,
    );
    const action = formAction(selection.body, 'kc-select-patient-form');
    const first = await postForm(app, action, { patient: '428946492', accept: 'yes' }, jar);
    expect(first.statusCode).toBe(302);
    const replay = await postForm(app, action, { patient: '428946492', accept: 'yes' }, jar);
    expect(replay.statusCode).toBe(400);
    expect(replay.headers.location).toBeUndefined();
  });
});
