import * as oauth from 'oauth4webapi';
import { createPkce } from '@patient-access/auth-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { signInHeadless } from '../sign-in.js';
import { authorize, signIn, suiteContext } from './support/context.js';

const context = await suiteContext('identity-capabilities');
const { target } = context;
const { profile, client } = target;
const PATIENT = '428946492';
const DEPENDENT = '429119572';
const SCOPE = 'openid fhirUser launch/patient patient/Patient.read';

const insecure = { [oauth.allowInsecureRequests]: target.kind === 'mock' };
const oauthClient: oauth.Client = { client_id: client.clientId };
const clientAuth = oauth.ClientSecretBasic(client.clientSecret ?? '');
let as: oauth.AuthorizationServer;

beforeAll(async () => {
  const issuer = new URL(profile.issuer);
  as = await oauth.processDiscoveryResponse(
    issuer,
    await oauth.discoveryRequest(issuer, {
      algorithm: 'oidc',
      ...insecure,
      [oauth.customFetch]: context.fetch('identity/discovery'),
    }),
  );
});

/** Exchanges a callback's code through oauth4webapi with the target client's secret. */
async function exchange(
  callback: URLSearchParams,
  verifier: string,
  check: string,
  nonce?: string,
): Promise<oauth.TokenEndpointResponse> {
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    oauthClient,
    clientAuth,
    callback,
    client.redirectUri,
    verifier,
    { ...insecure, [oauth.customFetch]: context.fetch(check) },
  );
  return oauth.processAuthorizationCodeResponse(as, oauthClient, response, {
    ...(nonce ? { expectedNonce: nonce } : {}),
  });
}

function fhirGet(accessToken: string, path: string): Promise<Response> {
  return fetch(`${profile.fhirBaseUrl}/${path}`, {
    headers: { authorization: `Bearer ${accessToken}`, accept: 'application/fhir+json' },
  });
}

// Keycloak 17's ParEndpoint has no per-client switch: any confidential client may push.
describe('pushed authorization requests (RFC 9126) through oauth4webapi', () => {
  async function push(check: string, extra: Record<string, string> = {}) {
    const pkce = await createPkce();
    const state = oauth.generateRandomState();
    const nonce = oauth.generateRandomNonce();
    const params = new URLSearchParams({
      response_type: 'code',
      redirect_uri: client.redirectUri,
      scope: SCOPE,
      state,
      nonce,
      code_challenge: pkce.challenge,
      code_challenge_method: 'S256',
      aud: profile.fhirBaseUrl,
      ...extra,
    });
    const response = await oauth.pushedAuthorizationRequest(as, oauthClient, clientAuth, params, {
      ...insecure,
      [oauth.customFetch]: context.fetch(check),
    });
    return { response, pkce, state, nonce };
  }

  test('pushes the request, signs in with client_id and request_uri alone, and gets tokens for the pushed scope', async () => {
    const { response, pkce, state, nonce } = await push('identity/par');
    expect(response.status).toBe(201);
    const pushed = await oauth.processPushedAuthorizationResponse(as, oauthClient, response);
    expect(pushed.request_uri).toMatch(/^urn:ietf:params:oauth:request_uri:/);
    expect(pushed.expires_in).toBe(60);
    const url = new URL(profile.authorizationEndpoint);
    url.searchParams.set('client_id', client.clientId);
    url.searchParams.set('request_uri', pushed.request_uri);
    const signedIn = await signInHeadless({
      profile,
      client,
      username: target.username,
      password: target.password,
      request: { url, state, nonce, pkce },
    });
    const callback = oauth.validateAuthResponse(as, oauthClient, signedIn.callbackUrl, state);
    const tokens = await exchange(callback, pkce.verifier, 'identity/par-exchange', nonce);
    expect((tokens as { patient?: string }).patient?.trim()).toBe(PATIENT);
    expect(tokens.scope?.split(' ')).toContain('patient/Patient.read');
    expect((await fhirGet(tokens.access_token, `Patient/${PATIENT}`)).status).toBe(200);
  });

  test('a request_uri is single-use: the second authorize shows an error page', async () => {
    const { response } = await push('identity/par-single-use');
    const pushed = await oauth.processPushedAuthorizationResponse(as, oauthClient, response);
    const url = new URL(profile.authorizationEndpoint);
    url.searchParams.set('client_id', client.clientId);
    url.searchParams.set('request_uri', pushed.request_uri);
    const record = context.fetch('identity/par-reused');
    expect((await record(url, { redirect: 'manual' })).status).toBe(200);
    const again = await record(url, { redirect: 'manual' });
    expect(again.status).toBe(400);
  });

  test("a pushed request_uri answers 400 invalid_request in Keycloak 17's words", async () => {
    const { response } = await push('identity/par-request-uri', { request_uri: 'urn:example:x' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: 'invalid_request',
      error_description: 'It is not allowed to include request_uri to PAR.',
    });
  });
});

describe('response modes the discovery advertises', () => {
  test.each(['fragment', 'form_post'] as const)(
    'response_mode=%s delivers the code the same way the query does',
    async (mode) => {
      const { signIn: signedIn, tokens } = await signIn(context, {
        scope: SCOPE,
        extraParams: { response_mode: mode },
        record: `identity/response-mode-${mode}`,
      });
      expect(signedIn.responseMode).toBe(mode);
      expect(tokens.patient?.trim()).toBe(PATIENT);
    },
  );

  test.each([
    ['query.jwt', 'query'],
    ['fragment.jwt', 'fragment'],
    ['form_post.jwt', 'form_post'],
    ['jwt', 'query'],
  ] as const)(
    'response_mode=%s delivers a signed response oauth4webapi validates',
    async (mode, carrier) => {
      const signedIn = await authorize(context, {
        scope: SCOPE,
        extraParams: { response_mode: mode },
        record: `identity/response-mode-${mode}`,
      });
      expect(signedIn.responseMode).toBe(carrier);
      const callback = await oauth.validateJwtAuthResponse(
        as,
        oauthClient,
        signedIn.callbackUrl,
        signedIn.state,
        insecure,
      );
      const tokens = await exchange(
        callback,
        signedIn.request.pkce.verifier,
        `identity/response-mode-${mode}-exchange`,
        signedIn.request.nonce,
      );
      expect((tokens as { patient?: string }).patient?.trim()).toBe(PATIENT);
    },
  );
});

describe('user/ scopes (permission-user)', () => {
  test('a user-level token lists the patients its user may see', async () => {
    const { tokens } = await signIn(context, {
      scope: 'openid fhirUser user/Patient.rs',
      record: 'identity/user-scopes-sign-in',
    });
    const response = await fhirGet(tokens.accessToken, 'Patient');
    expect(response.status).toBe(200);
    const bundle = (await response.json()) as { entry?: Array<{ resource: { id: string } }> };
    const ids = (bundle.entry ?? []).map((entry) => entry.resource.id);
    expect(ids).toContain(PATIENT);
    // The guide's account has one dependent; the real server's accounts are its own.
    if (target.kind === 'mock') expect(ids.sort()).toEqual([PATIENT, DEPENDENT]);
  });
});

describe.skipIf(target.kind !== 'mock')(
  `EHR launch${target.kind === 'mock' ? '' : " (skipped on the real target: a launch is created through the mock's POST /__admin/launches; NextGen launches from its own EHR)"}`,
  () => {
    /** Creates an EHR launch at the mock's test controls. */
    function createLaunch(body: { patient: string; user?: string }): Promise<Response> {
      return fetch(`${new URL(profile.issuer).origin}/__admin/launches`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    }

    test('a launch created at the test controls binds its patient and encounter to the token', async () => {
      const response = await createLaunch({ patient: PATIENT, user: target.username });
      expect(response.status).toBe(201);
      const created = (await response.json()) as { launch: string; iss: string };
      expect(created.iss).toBe(profile.fhirBaseUrl);
      const { tokens } = await signIn(context, {
        scope: 'openid fhirUser launch patient/Patient.read',
        extraParams: { launch: created.launch },
        record: 'identity/ehr-launch',
      });
      expect(tokens.patient?.trim()).toBe(PATIENT);
      expect(tokens.clientType).toBe('EHR');
      expect((await fhirGet(tokens.accessToken, `Patient/${PATIENT}`)).status).toBe(200);
    });

    test('a launch is single-use: the second authorize is refused as an invalid parameter', async () => {
      const created = (await (await createLaunch({ patient: PATIENT })).json()) as {
        launch: string;
      };
      const launch = {
        scope: 'openid launch patient/Patient.read',
        extraParams: { launch: created.launch },
      };
      const first = await authorize(context, launch);
      expect(first.code).not.toBe('');
      await expect(authorize(context, launch)).rejects.toMatchObject({ error: 'invalid_request' });
    });
  },
);
