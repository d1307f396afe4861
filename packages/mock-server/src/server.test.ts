import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as oauth from 'oauth4webapi';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { createPkce } from '@patient-access/auth-core';
import { CookieJar, FORM_HEADERS, formBody } from '../../../test-support/cookie-jar.js';
import { GUIDE_CLIENT, GUIDE_USERS } from '../../../test-support/guide.js';
import { startMockServer, type RunningMockServer } from './server.js';
import { formActionUrl } from './test-support/identity-flow.js';

let server: RunningMockServer;

beforeAll(async () => {
  server = await startMockServer({ port: 0 });
});
afterAll(() => server.close());

/** A browser on one host over real HTTP: its cookies kept, redirects left to the test. */
class Browser {
  readonly #jar = new CookieJar();

  async fetch(url: string | URL, init: RequestInit = {}): Promise<Response> {
    const headers = { ...(init.headers as Record<string, string>), ...this.#jar.header() };
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    this.#jar.store(response);
    return response;
  }

  /** Posts `fields` to the action of `form#<formId>` in `html`. */
  submit(
    html: string,
    formId: string,
    fields: Readonly<Record<string, string | readonly string[]>>,
  ): Promise<Response> {
    return this.fetch(formActionUrl(html, formId), {
      method: 'POST',
      headers: FORM_HEADERS,
      body: formBody(fields),
    });
  }
}

describe('startMockServer', () => {
  test('listens on a free port and reports its URLs', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.issuer).toBe(`${server.url}/auth/realms/nextgen`);
    expect(server.fhirBaseUrl).toBe(`${server.url}/api/fhir/r4`);
    expect((await fetch(`${server.url}/`)).status).toBe(200);
  });
});

describe('a standards client (oauth4webapi) against the mock', () => {
  test('signs in, validates the ID token, reads userinfo, refreshes and revokes', async () => {
    const options = { [oauth.allowInsecureRequests]: true };
    const issuer = new URL(server.issuer);
    const as = await oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, options),
    );
    const client: oauth.Client = { client_id: GUIDE_CLIENT.clientId };
    const clientAuth = oauth.ClientSecretBasic(GUIDE_CLIENT.clientSecret);
    const redirectUri = 'http://127.0.0.1:1/callback';
    const pkce = await createPkce();
    const state = oauth.generateRandomState();
    const nonce = oauth.generateRandomNonce();

    const authorizationUrl = new URL(as.authorization_endpoint as string);
    authorizationUrl.search = new URLSearchParams({
      response_type: 'code',
      client_id: client.client_id,
      redirect_uri: redirectUri,
      scope: 'openid fhirUser offline_access launch/patient patient/Patient.read',
      code_challenge: pkce.challenge,
      code_challenge_method: 'S256',
      state,
      nonce,
      aud: server.fhirBaseUrl,
    }).toString();

    const browser = new Browser();
    const loginPage = await (await browser.fetch(authorizationUrl.href)).text();
    const { username, password, patientId } = GUIDE_USERS.david;
    const selection = await browser.submit(loginPage, 'kc-form-login', { username, password });
    const selectionPage = await selection.text();
    const callback = await browser.submit(selectionPage, 'kc-select-patient-form', {
      patient: patientId,
      scope: 'patient/Patient.read',
      accept: 'yes',
    });
    expect(callback.status).toBe(302);

    const params = oauth.validateAuthResponse(
      as,
      client,
      new URL(callback.headers.get('location') as string),
      state,
    );
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      client,
      await oauth.authorizationCodeGrantRequest(
        as,
        client,
        clientAuth,
        params,
        redirectUri,
        pkce.verifier,
        options,
      ),
      { expectedNonce: nonce, requireIdToken: true },
    );
    expect(tokens.patient).toBe('428946492');

    const jwks = createRemoteJWKSet(new URL(as.jwks_uri as string));
    const { payload: idToken } = await jwtVerify(tokens.id_token as string, jwks, {
      issuer: as.issuer,
      audience: client.client_id,
    });
    expect(idToken.fhirUser).toBe(`${server.fhirBaseUrl}/Person/4007449`);

    const claims = oauth.getValidatedIdTokenClaims(tokens);
    const userinfo = await oauth.processUserInfoResponse(
      as,
      client,
      claims?.sub as string,
      await oauth.userInfoRequest(as, client, tokens.access_token, options),
    );
    expect(userinfo.fhirUser).toBe(`${server.fhirBaseUrl}/Person/4007449`);

    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(
        as,
        client,
        clientAuth,
        tokens.refresh_token as string,
        options,
      ),
    );
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);

    await oauth.processRevocationResponse(
      await oauth.revocationRequest(
        as,
        client,
        clientAuth,
        refreshed.refresh_token as string,
        options,
      ),
    );
    const afterRevoke = await oauth.refreshTokenGrantRequest(
      as,
      client,
      clientAuth,
      refreshed.refresh_token as string,
      options,
    );
    await expect(oauth.processRefreshTokenResponse(as, client, afterRevoke)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });
});
