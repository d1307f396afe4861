import { AuthorizationDeniedError, type ServerProfile } from '@patient-access/auth-core';
import { describe, expect, test } from 'vitest';
import { GUIDE_USERS, loginOf } from '../../../test-support/guide.js';
import { SignInError, signInHeadless } from './sign-in.js';
import { fakeKeycloak } from './test-support/fake-keycloak.js';

const ORIGIN = 'https://idp.example.test';
const OIDC = `${ORIGIN}/auth/realms/nextgen/protocol/openid-connect`;
const profile: ServerProfile = {
  name: 'Fake Keycloak',
  issuer: `${ORIGIN}/auth/realms/nextgen`,
  authorizationEndpoint: `${OIDC}/auth`,
  tokenEndpoint: `${OIDC}/token`,
  jwksUri: `${OIDC}/certs`,
  fhirBaseUrl: 'https://fhir.example.test/api/fhir/r4',
};
const client = {
  clientId: 'yourHealthFile',
  clientSecret: 'secret',
  redirectUri: 'https://oauth.pstmn.io/v1/callback',
};
const credentials = { ...loginOf(GUIDE_USERS.david), scope: 'openid launch/patient' };

describe('signInHeadless on Keycloak markup', () => {
  test('returns the callback with the code, state and session_state', async () => {
    const keycloak = fakeKeycloak();
    const result = await signInHeadless({ profile, client, ...credentials, fetch: keycloak.fetch });
    expect(result.code).toBe('code-for-428946492');
    expect(result.callbackUrl.searchParams.get('state')).toBe(result.state);
    expect(result.sessionState).toBe('6e1c0a52-7f2b-4f7e-9c1d-2f3a4b5c6d7e');
    expect(`${result.callbackUrl.origin}${result.callbackUrl.pathname}`).toBe(client.redirectUri);
  });

  test.each(['fragment', 'form_post'] as const)(
    'reads a %s response into the callback query',
    async (mode) => {
      const keycloak = fakeKeycloak();
      const result = await signInHeadless({
        profile,
        client,
        ...credentials,
        extraParams: { response_mode: mode },
        fetch: keycloak.fetch,
      });
      expect(result.responseMode).toBe(mode);
      expect(result.code).toBe('code-for-428946492');
      expect(result.callbackUrl.searchParams.get('state')).toBe(result.state);
      expect(result.callbackUrl.hash).toBe('');
    },
  );

  test('posts the credentials with the hidden credentialId and the pressed login button', async () => {
    const keycloak = fakeKeycloak();
    await signInHeadless({ profile, client, ...credentials, fetch: keycloak.fetch });
    const form = keycloak.log.loginForms[0];
    expect(form && Object.fromEntries(form)).toEqual({
      ...loginOf(GUIDE_USERS.david),
      credentialId: '',
      login: 'Sign In',
    });
  });

  test('sends the session cookie Keycloak set on the authorize redirect', async () => {
    const keycloak = fakeKeycloak();
    await signInHeadless({ profile, client, ...credentials, fetch: keycloak.fetch });
    expect(
      keycloak.log.cookiesSeen.slice(1).every((c) => c.includes('AUTH_SESSION_ID=s1.node')),
    ).toBe(true);
  });

  test('submits the selection screen with its defaults and the accept button', async () => {
    const keycloak = fakeKeycloak();
    await signInHeadless({ profile, client, ...credentials, fetch: keycloak.fetch });
    const form = keycloak.log.selectionForms[0];
    expect(form?.getAll('scope')).toEqual(['patient/Patient.read', 'patient/Condition.read']);
    expect(form?.get('accept')).toBe('Yes');
    expect(form?.has('cancel')).toBe(false);
  });

  test('chooses the requested dependent on the selection screen', async () => {
    const keycloak = fakeKeycloak();
    const result = await signInHeadless({
      profile,
      client,
      ...credentials,
      patient: '429119572',
      fetch: keycloak.fetch,
    });
    expect(result.code).toBe('code-for-429119572');
  });

  test('rejects a patient the selection screen does not offer with ERR_PATIENT_NOT_OFFERED', async () => {
    const keycloak = fakeKeycloak();
    await expect(
      signInHeadless({ profile, client, ...credentials, patient: '1', fetch: keycloak.fetch }),
    ).rejects.toMatchObject({ code: 'ERR_PATIENT_NOT_OFFERED' });
  });

  test("reports a wrong password with ERR_SIGN_IN_REJECTED and Keycloak's message", async () => {
    const keycloak = fakeKeycloak();
    const attempt = signInHeadless({
      profile,
      client,
      ...credentials,
      password: 'wrong',
      fetch: keycloak.fetch,
    });
    await expect(attempt).rejects.toBeInstanceOf(SignInError);
    await expect(attempt).rejects.toMatchObject({
      code: 'ERR_SIGN_IN_REJECTED',
      status: 200,
      message: 'The identity provider refused the credentials: Invalid username or password.',
    });
  });

  test('reports an error page with ERR_SIGN_IN_PAGE, its status and its message', async () => {
    const noCookies: typeof fetch = async (input, init) => {
      const response = await fakeKeycloak().fetch(input, init);
      const headers = new Headers(response.headers);
      headers.delete('set-cookie');
      return new Response(response.body, { status: response.status, headers });
    };
    await expect(
      signInHeadless({ profile, client, ...credentials, fetch: noCookies }),
    ).rejects.toMatchObject({ code: 'ERR_SIGN_IN_PAGE', status: 400 });
  });

  test("turns an error redirect to the client into the auth core's AuthorizationDeniedError", async () => {
    const denying: typeof fetch = async (input) => {
      const authorize = new URL(String(input)).searchParams;
      const callback = new URL(client.redirectUri);
      callback.searchParams.set('error', 'invalid_scope');
      callback.searchParams.set('state', authorize.get('state') ?? '');
      return new Response(null, { status: 302, headers: { location: callback.href } });
    };
    const attempt = signInHeadless({ profile, client, ...credentials, fetch: denying });
    await expect(attempt).rejects.toBeInstanceOf(AuthorizationDeniedError);
    await expect(attempt).rejects.toMatchObject({ error: 'invalid_scope' });
  });

  test('stops a redirect loop with ERR_SIGN_IN_LOOP', async () => {
    const looping: typeof fetch = async () =>
      new Response(null, { status: 302, headers: { location: `${ORIGIN}/loop` } });
    await expect(
      signInHeadless({ profile, client, ...credentials, fetch: looping, maxSteps: 5 }),
    ).rejects.toMatchObject({ code: 'ERR_SIGN_IN_LOOP' });
  });

  test("follows the proceed link of Keycloak's info page", async () => {
    const keycloak = fakeKeycloak();
    let detoured = false;
    const withInfoPage: typeof fetch = async (input, init) => {
      const url = new URL(String(input));
      if (url.pathname.endsWith('/login-actions/required-action') && !detoured) {
        detoured = true;
        const proceed = `${url.href}&amp;proceed=1`;
        return new Response(
          `<div id="kc-info-message"><p class="instruction">Your account has been updated.</p><p><a href="${proceed}">» Click here to proceed</a></p></div>`,
          { status: 200, headers: { 'content-type': 'text/html' } },
        );
      }
      return keycloak.fetch(input, init);
    };
    const result = await signInHeadless({ profile, client, ...credentials, fetch: withInfoPage });
    expect(detoured).toBe(true);
    expect(result.code).toBe('code-for-428946492');
  });

  test('never requests the redirect URI itself', async () => {
    const keycloak = fakeKeycloak();
    const result = await signInHeadless({ profile, client, ...credentials, fetch: keycloak.fetch });
    expect(result.steps.map((step) => step.url)).not.toContain(client.redirectUri);
    expect(result.steps.at(-1)?.location).toBe(client.redirectUri);
  });
});
