import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { basicAuthorization, createPkce, type Pkce } from '@patient-access/auth-core';
import type { AdjustableClock } from '../clock.js';
import {
  authorize,
  authorizeParams,
  CLIENT_ID,
  CLIENT_SECRET,
  clientRequest,
  obtainCode,
  OIDC,
  PUBLIC_CLIENT_ID,
  REDIRECT_URI,
  testApp,
  tokenRequest,
} from '../test-support/identity-flow.js';

let app: FastifyInstance;
let clock: AdjustableClock;

beforeAll(async () => {
  ({ app, clock } = await testApp());
});
afterAll(() => app.close());
beforeEach(async () => {
  await app.inject({ method: 'POST', url: '/__admin/reset' });
});

const PAR = `${OIDC}/ext/par/request`;

function push(form: Record<string, string>, auth?: { clientId: string; secret?: string }) {
  return clientRequest(app, 'ext/par/request', form, auth);
}

/** Every authorize parameter but the client's id, which stays in the front channel. */
function pushedForm(pkce: Pkce, overrides: Record<string, string | undefined> = {}) {
  return authorizeParams(pkce, { client_id: undefined, ...overrides });
}

/** Authorize overrides that leave only `client_id` and `request_uri` in the front channel. */
function frontChannel(requestUri: string) {
  const only = Object.fromEntries(
    Object.keys(authorizeParams({ verifier: '', challenge: '' } as Pkce)).map((name) => [
      name,
      undefined,
    ]),
  );
  return { ...only, client_id: CLIENT_ID, request_uri: requestUri };
}

function expectError(
  response: Awaited<ReturnType<typeof push>>,
  status: number,
  error: string,
  description: string,
) {
  expect(response.statusCode).toBe(status);
  expect(response.json()).toEqual({ error, error_description: description });
}

describe('POST /protocol/openid-connect/ext/par/request', () => {
  test("answers 201 with a request_uri of Keycloak's form and its 60 s lifetime", async () => {
    const response = await push(pushedForm(await createPkce()));
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body.request_uri).toMatch(
      /^urn:ietf:params:oauth:request_uri:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    expect(body.expires_in).toBe(60);
  });

  test('refuses a client that fails to authenticate with 401 "Authentication failed."', async () => {
    expectError(
      await push(pushedForm(await createPkce()), { clientId: CLIENT_ID, secret: 'wrong' }),
      401,
      'invalid_request',
      'Authentication failed.',
    );
  });

  test('refuses a public client as Keycloak 17 does', async () => {
    const pkce = await createPkce();
    expectError(
      await push(
        { ...pushedForm(pkce), redirect_uri: 'http://127.0.0.1/cb' },
        { clientId: PUBLIC_CLIENT_ID },
      ),
      401,
      'invalid_request',
      'Authentication failed.',
    );
  });

  test('refuses a pushed request_uri', async () => {
    expectError(
      await push({ ...pushedForm(await createPkce()), request_uri: 'urn:x' }),
      400,
      'invalid_request',
      'It is not allowed to include request_uri to PAR.',
    );
  });

  test('refuses a redirect URI the client did not register', async () => {
    expectError(
      await push(pushedForm(await createPkce(), { redirect_uri: 'https://evil.example/cb' })),
      400,
      'invalid_request',
      'Invalid parameter: redirect_uri',
    );
  });

  test('refuses an unknown response type as invalid_request', async () => {
    expectError(
      await push(pushedForm(await createPkce(), { response_type: 'magic' })),
      400,
      'invalid_request',
      'Unsupported response type',
    );
  });

  test('refuses an unknown scope as invalid_request', async () => {
    expectError(
      await push(pushedForm(await createPkce(), { scope: 'openid nonsense' })),
      400,
      'invalid_request',
      'Invalid scopes: openid nonsense',
    );
  });

  test("refuses a missing PKCE method with the authorize endpoint's words", async () => {
    expectError(
      await push(pushedForm(await createPkce(), { code_challenge_method: undefined })),
      400,
      'invalid_request',
      'Missing parameter: code_challenge_method',
    );
  });

  test('answers a form-less body with invalid_request', async () => {
    const response = await app.inject({
      method: 'POST',
      url: PAR,
      payload: { client_id: CLIENT_ID },
      headers: { authorization: basicAuthorization(CLIENT_ID, CLIENT_SECRET) },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('invalid_request');
  });
});

describe('authorize with a pushed request_uri', () => {
  async function pushed(overrides: Record<string, string | undefined> = {}) {
    const pkce = await createPkce();
    const response = await push(pushedForm(pkce, overrides));
    return { pkce, requestUri: response.json<{ request_uri: string }>().request_uri };
  }

  test('signs in with the pushed parameters and issues tokens for them', async () => {
    const { pkce, requestUri } = await pushed({ state: 'pushed-state' });
    const flow = await obtainCode(app, { params: frontChannel(requestUri) });
    expect(flow.location.searchParams.get('state')).toBe('pushed-state');
    const response = await tokenRequest(app, {
      grant_type: 'authorization_code',
      code: flow.code,
      redirect_uri: REDIRECT_URI,
      code_verifier: pkce.verifier,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().patient).toBe('428946492');
  });

  test('lets a pushed parameter win over the same one in the query', async () => {
    const { requestUri } = await pushed({ state: 'pushed-state' });
    const flow = await obtainCode(app, {
      params: { ...frontChannel(requestUri), state: 'front-state' },
    });
    expect(flow.location.searchParams.get('state')).toBe('pushed-state');
  });

  test('shows "Invalid Request" for a request_uri used before', async () => {
    const { requestUri } = await pushed();
    await authorize(app, { client_id: CLIENT_ID, request_uri: requestUri });
    const again = await authorize(app, { client_id: CLIENT_ID, request_uri: requestUri });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('Invalid Request');
  });

  test('shows "Invalid Request" for an expired request_uri', async () => {
    const { requestUri } = await pushed();
    clock.advance(61_000);
    const response = await authorize(app, { client_id: CLIENT_ID, request_uri: requestUri });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Invalid Request');
  });

  test('shows "Invalid Request" for a request_uri pushed by another client', async () => {
    await app.inject({
      method: 'POST',
      url: '/__admin/clients',
      payload: {
        client_id: 'other-app',
        client_secret: 'other-secret',
        redirect_uris: [REDIRECT_URI],
      },
    });
    const pkce = await createPkce();
    const response = await push(pushedForm(pkce), {
      clientId: 'other-app',
      secret: 'other-secret',
    });
    const requestUri = response.json<{ request_uri: string }>().request_uri;
    const stolen = await authorize(app, { client_id: CLIENT_ID, request_uri: requestUri });
    expect(stolen.statusCode).toBe(400);
    expect(stolen.body).toContain('Invalid Request');
  });

  test('shows "Invalid Request" for a request_uri that was never pushed', async () => {
    const response = await authorize(app, {
      client_id: CLIENT_ID,
      request_uri: 'urn:ietf:params:oauth:request_uri:00000000-0000-0000-0000-000000000000',
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Invalid Request');
  });

  test('shows "Invalid Request" for a request_uri the realm would have to fetch', async () => {
    const response = await authorize(app, {
      client_id: CLIENT_ID,
      request_uri: 'https://app.example/request.jwt',
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Invalid Request');
  });
});
