import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { basicAuthorization } from '@patient-access/auth-core';
import type { FastifyInstance } from 'fastify';
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from 'jose';
import type { AdjustableClock } from '../clock.js';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  FHIR_BASE,
  ISSUER,
  logoutBrowser,
  obtainCode,
  OIDC,
  PUBLIC_CLIENT_ID,
  REDIRECT_URI,
  signIn,
  testApp,
  tokenRequest,
} from '../test-support/identity-flow.js';
import { FORM_HEADERS } from '../../../../test-support/cookie-jar.js';

let app: FastifyInstance;
let clock: AdjustableClock;

beforeAll(async () => {
  ({ app, clock } = await testApp());
});
afterAll(() => app.close());

async function exchange(
  overrides: Record<string, string | undefined> = {},
  auth?: { clientId: string; secret?: string },
) {
  const flow = await obtainCode(app);
  const form: Record<string, string> = {};
  const all = {
    grant_type: 'authorization_code',
    code: flow.code,
    redirect_uri: REDIRECT_URI,
    code_verifier: flow.pkce.verifier,
    ...overrides,
  };
  for (const [name, value] of Object.entries(all)) if (value !== undefined) form[name] = value;
  return { flow, form, response: await tokenRequest(app, form, auth) };
}

/** Posts `payload` to the token endpoint as a form, exactly as written. */
function postToken(payload: string, headers: Record<string, string> = {}) {
  return app.inject({
    method: 'POST',
    url: `${OIDC}/token`,
    headers: { ...FORM_HEADERS, ...headers },
    payload,
  });
}

function expectOAuthError(
  response: { statusCode: number; json(): unknown; headers: Record<string, unknown> },
  status: number,
  error: string,
  description?: string,
) {
  expect(response.statusCode).toBe(status);
  expect(response.headers['cache-control']).toBe('no-store');
  const body = response.json() as { error: string; error_description: string };
  expect(body.error).toBe(error);
  if (description !== undefined) expect(body.error_description).toBe(description);
}

describe('POST /protocol/openid-connect/token (authorization_code)', () => {
  test('answers every documented field with its JSON type', async () => {
    const { response } = await exchange();
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 300,
      refresh_expires_in: 0,
      'not-before-policy': 0,
      scope:
        'openid fhirUser offline_access launch/patient patient/Patient.read patient/Condition.read',
      resource: 'Person/4007449',
      patient: '428946492',
      need_patient_banner: 'false',
      practice_id: '1673497',
      smart_style_url: 'http://localhost:80/electronic/json/api/portalSmartStyleConfig.json',
      client_type: 'STANDALONE',
      subscription_type: 'Indefinite',
    });
    expect(typeof body.access_token).toBe('string');
    expect(typeof body.refresh_token).toBe('string');
    expect(typeof body.id_token).toBe('string');
    expect(body.session_state).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('sends Cache-Control: no-store and Pragma: no-cache', async () => {
    const { response } = await exchange();
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers.pragma).toBe('no-cache');
  });

  test('signs an access token with Keycloak’s claims and the SMART context', async () => {
    const { response, flow } = await exchange();
    const body = response.json();
    const jwks = (await app.inject(`${OIDC}/certs`)).json<JSONWebKeySet>();
    const { payload, protectedHeader } = await jwtVerify(
      body.access_token,
      createLocalJWKSet(jwks),
      {
        issuer: ISSUER,
        audience: FHIR_BASE,
      },
    );
    expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: jwks.keys[0]?.kid });
    expect(payload).toMatchObject({
      typ: 'Bearer',
      azp: CLIENT_ID,
      patient: '428946492',
      fhirUser: `${FHIR_BASE}/Person/4007449`,
      session_state: flow.location.searchParams.get('session_state'),
      sid: flow.location.searchParams.get('session_state'),
      scope: body.scope,
    });
    expect(payload.exp).toBe((payload.iat ?? 0) + 300);
    expect(typeof payload.jti).toBe('string');
  });

  test('signs an ID token for the client with nonce, fhirUser and auth_time', async () => {
    const { response } = await exchange();
    const jwks = (await app.inject(`${OIDC}/certs`)).json<JSONWebKeySet>();
    const { payload } = await jwtVerify(response.json().id_token, createLocalJWKSet(jwks), {
      issuer: ISSUER,
      audience: CLIENT_ID,
    });
    expect(payload).toMatchObject({
      nonce: 'nonce-456',
      fhirUser: `${FHIR_BASE}/Person/4007449`,
      azp: CLIENT_ID,
    });
    expect(typeof payload.auth_time).toBe('number');
    expect(payload.sub).toBe(decodeJwt(response.json().access_token).sub);
  });

  test('accepts client_secret_post', async () => {
    const flow = await obtainCode(app);
    const response = await postToken(
      new URLSearchParams({
        grant_type: 'authorization_code',
        code: flow.code,
        redirect_uri: REDIRECT_URI,
        code_verifier: flow.pkce.verifier,
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
      }).toString(),
    );
    expect(response.statusCode).toBe(200);
  });

  test('accepts a public client without a secret', async () => {
    const flow = await obtainCode(app, {
      params: { client_id: PUBLIC_CLIENT_ID, redirect_uri: 'http://127.0.0.1:9999/cb' },
    });
    const response = await tokenRequest(
      app,
      {
        grant_type: 'authorization_code',
        code: flow.code,
        redirect_uri: 'http://127.0.0.1:9999/cb',
        code_verifier: flow.pkce.verifier,
      },
      { clientId: PUBLIC_CLIENT_ID },
    );
    expect(response.statusCode).toBe(200);
  });

  test('answers a wrong secret with 401 unauthorized_client "Invalid client secret"', async () => {
    const { response } = await exchange({}, { clientId: CLIENT_ID, secret: 'wrong' });
    expectOAuthError(response, 401, 'unauthorized_client', 'Invalid client secret');
  });

  test('answers a confidential client without a secret with 401 unauthorized_client', async () => {
    const { response } = await exchange({}, { clientId: CLIENT_ID });
    expectOAuthError(response, 401, 'unauthorized_client', 'Client secret not provided in request');
  });

  test('answers an unknown client with 400 unauthorized_client', async () => {
    const { response } = await exchange({}, { clientId: 'nobody', secret: 'x' });
    expectOAuthError(response, 400, 'unauthorized_client', 'Invalid client credentials');
  });

  test('answers a request naming no client with 400 invalid_client', async () => {
    const response = await postToken('grant_type=authorization_code&code=x');
    expectOAuthError(response, 400, 'invalid_client', 'Invalid client credentials');
  });

  test('reads a malformed Basic header as no header, as Keycloak does', async () => {
    const response = await postToken('grant_type=authorization_code&code=x', {
      authorization: 'Basic !!!',
    });
    expectOAuthError(response, 400, 'invalid_client', 'Invalid client credentials');
  });

  test('checks the header secret against the form client_id, which wins', async () => {
    const response = await postToken(
      `grant_type=authorization_code&code=x&client_id=${CLIENT_ID}`,
      {
        authorization: basicAuthorization(PUBLIC_CLIENT_ID, CLIENT_SECRET),
      },
    );
    expectOAuthError(response, 400, 'invalid_grant', 'Code not valid');
  });

  test('answers a replayed code with invalid_grant', async () => {
    const { form } = await exchange();
    const replay = await tokenRequest(app, form);
    expectOAuthError(replay, 400, 'invalid_grant', 'Code not valid');
  });

  test('revokes the tokens issued from a replayed code', async () => {
    const { form, response } = await exchange();
    await tokenRequest(app, form);
    const refresh = await tokenRequest(app, {
      grant_type: 'refresh_token',
      refresh_token: response.json().refresh_token,
    });
    expectOAuthError(refresh, 400, 'invalid_grant', 'Token is not active');
    const userinfo = await app.inject({
      url: `${OIDC}/userinfo`,
      headers: { authorization: `Bearer ${response.json().access_token}` },
    });
    expect(userinfo.statusCode).toBe(401);
  });

  test('answers an unknown code with invalid_grant', async () => {
    const { response } = await exchange({ code: 'not-a-code' });
    expectOAuthError(response, 400, 'invalid_grant', 'Code not valid');
  });

  test('answers a code older than 60 seconds with invalid_grant', async () => {
    const flow = await obtainCode(app);
    clock.advance(61_000);
    const response = await tokenRequest(app, {
      grant_type: 'authorization_code',
      code: flow.code,
      redirect_uri: REDIRECT_URI,
      code_verifier: flow.pkce.verifier,
    });
    expectOAuthError(response, 400, 'invalid_grant', 'Code not valid');
  });

  test('answers a mismatched code_verifier with Keycloak’s PKCE message', async () => {
    const { response } = await exchange({ code_verifier: 'a'.repeat(43) });
    expectOAuthError(response, 400, 'invalid_grant', 'PKCE verification failed');
  });

  test('answers a missing code_verifier with invalid_grant', async () => {
    const { response } = await exchange({ code_verifier: undefined });
    expectOAuthError(response, 400, 'invalid_grant', 'PKCE code verifier not specified');
  });

  test('answers a malformed code_verifier with invalid_grant', async () => {
    const { response } = await exchange({ code_verifier: 'short' });
    expectOAuthError(response, 400, 'invalid_grant', 'PKCE invalid code verifier');
  });

  test('answers a different redirect_uri with invalid_grant', async () => {
    const { response } = await exchange({ redirect_uri: 'http://127.0.0.1/other' });
    expectOAuthError(response, 400, 'invalid_grant', 'Incorrect redirect_uri');
  });

  test('answers a code of another client with Keycloak’s “Auth error” and spends it', async () => {
    const flow = await obtainCode(app);
    const response = await tokenRequest(
      app,
      {
        grant_type: 'authorization_code',
        code: flow.code,
        redirect_uri: REDIRECT_URI,
        code_verifier: flow.pkce.verifier,
      },
      { clientId: PUBLIC_CLIENT_ID },
    );
    expectOAuthError(response, 400, 'invalid_grant', 'Auth error');
  });

  test('answers a missing code with invalid_request', async () => {
    const { response } = await exchange({ code: undefined });
    expectOAuthError(response, 400, 'invalid_request', 'Missing parameter: code');
  });

  test('answers a missing grant_type with invalid_request', async () => {
    const { response } = await exchange({ grant_type: undefined });
    expectOAuthError(response, 400, 'invalid_request', 'Missing form parameter: grant_type');
  });

  test('answers an unknown grant_type with unsupported_grant_type', async () => {
    const { response } = await exchange({ grant_type: 'urn:example:unknown' });
    expectOAuthError(response, 400, 'unsupported_grant_type', 'Unsupported grant_type');
  });

  test('answers a duplicated parameter with invalid_request', async () => {
    const response = await postToken(
      'grant_type=authorization_code&code=a&code=b&client_id=patient-access-extension',
    );
    expectOAuthError(response, 400, 'invalid_request', 'duplicated parameter');
  });

  test('answers a JSON body with invalid_request', async () => {
    const response = await app.inject({
      method: 'POST',
      url: `${OIDC}/token`,
      payload: { grant_type: 'authorization_code', code: 'x' },
    });
    expectOAuthError(
      response,
      400,
      'invalid_request',
      'Content-Type must be application/x-www-form-urlencoded',
    );
  });

  test('answers a code after logout with Session not active', async () => {
    const flow = await obtainCode(app);
    await logoutBrowser(app, flow.jar);
    const response = await tokenRequest(app, {
      grant_type: 'authorization_code',
      code: flow.code,
      redirect_uri: REDIRECT_URI,
      code_verifier: flow.pkce.verifier,
    });
    expectOAuthError(response, 400, 'invalid_grant', 'Session not active');
  });

  test('checks the session before the code_verifier, as Keycloak 17 does', async () => {
    const flow = await obtainCode(app);
    await logoutBrowser(app, flow.jar);
    const response = await tokenRequest(app, {
      grant_type: 'authorization_code',
      code: flow.code,
      redirect_uri: REDIRECT_URI,
      code_verifier: 'short',
    });
    expectOAuthError(response, 400, 'invalid_grant', 'Session not active');
  });
});

describe('token response quirks', () => {
  test('sends need_patient_banner as a boolean without its quirk', async () => {
    const { app: plain } = await testApp({ quirks: [] });
    const { tokens } = await signIn(plain);
    expect(tokens.need_patient_banner).toBe(false);
    expect(tokens.patient).toBe('428946492');
    await plain.close();
  });

  test('adds the guide’s leading space to patient and spaces to smart_style_url when asked', async () => {
    const { app: quirky } = await testApp({
      quirks: ['patient-leading-space', 'smart-style-url-spaces'],
    });
    const { tokens } = await signIn(quirky);
    expect(tokens.patient).toBe(' 428946492');
    expect(tokens.smart_style_url).toMatch(/^ http.* $/);
    await quirky.close();
  });
});

describe('clients from the config', () => {
  test('signs in a client registered through the config', async () => {
    const { app: configured } = await testApp({
      clients: [
        { clientId: 'my-app', secrets: ['s3cret'], redirectUris: ['https://my-app.example/cb'] },
      ],
    });
    const flow = await obtainCode(configured, {
      params: { client_id: 'my-app', redirect_uri: 'https://my-app.example/cb' },
    });
    const response = await tokenRequest(
      configured,
      {
        grant_type: 'authorization_code',
        code: flow.code,
        redirect_uri: 'https://my-app.example/cb',
        code_verifier: flow.pkce.verifier,
      },
      { clientId: 'my-app', secret: 's3cret' },
    );
    expect(response.statusCode).toBe(200);
    expect(response.json().patient).toBe('428946492');
    await configured.close();
  });
});
