import { describe, expect, test } from 'vitest';
import { GUIDE_CLIENT } from '../../../test-support/guide.js';
import { NEXTGEN_PRODUCTION, mockProfile } from './server-profile.js';
import { fakeFetch, guideTokenResponse, html, json } from './test-support/fake-fetch.js';
import {
  exchangeCode,
  fetchUserInfo,
  introspectToken,
  refreshTokens,
  revokeToken,
} from './token.js';

const NOW = Date.UTC(2024, 0, 15, 12, 0, 0);
const clock = (): number => NOW;
const profile = NEXTGEN_PRODUCTION;
const TOKEN = `POST ${profile.tokenEndpoint}`;
const confidential = GUIDE_CLIENT;
const publicClient = { clientId: 'sandbox-extension', redirectUri: 'https://ext.example/cb' };
const VERIFIER = 'dBjftJeZ4CVP-mJ92K9CD4ftRMoOydh0F4lNd_Zd8jE';

function unsignedJwt(claims: Record<string, unknown>): string {
  const part = (value: unknown): string =>
    btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${part({ alg: 'RS256', kid: 'k1' })}.${part(claims)}.c2ln`;
}

describe('exchangeCode', () => {
  test('posts the code, redirect_uri and code_verifier with HTTP Basic for a confidential client', async () => {
    const server = fakeFetch({ [TOKEN]: () => json(guideTokenResponse()) });
    await exchangeCode({
      profile,
      client: confidential,
      code: 'the-code',
      codeVerifier: VERIFIER,
      fetch: server.fetch,
      clock,
    });
    const [request] = server.calls(TOKEN);
    const body = new URLSearchParams(request?.body);
    expect(request?.headers.get('content-type')).toMatch(/^application\/x-www-form-urlencoded/);
    expect(request?.headers.get('authorization')).toBe(
      `Basic ${btoa(`${GUIDE_CLIENT.clientId}:${GUIDE_CLIENT.clientSecret}`)}`,
    );
    expect(Object.fromEntries(body)).toEqual({
      grant_type: 'authorization_code',
      code: 'the-code',
      redirect_uri: 'https://oauth.pstmn.io/v1/callback',
      code_verifier: VERIFIER,
    });
  });

  test('sends client_id in the body and no Authorization header for a public client', async () => {
    const server = fakeFetch({ [TOKEN]: () => json(guideTokenResponse()) });
    await exchangeCode({
      profile,
      client: publicClient,
      code: 'c',
      codeVerifier: VERIFIER,
      fetch: server.fetch,
    });
    const [request] = server.calls(TOKEN);
    expect(request?.headers.has('authorization')).toBe(false);
    expect(new URLSearchParams(request?.body).get('client_id')).toBe('sandbox-extension');
  });

  test('resolves to the parsed token set with expiry from the injected clock', async () => {
    const server = fakeFetch({ [TOKEN]: () => json(guideTokenResponse()) });
    const tokens = await exchangeCode({
      profile,
      client: confidential,
      code: 'c',
      codeVerifier: VERIFIER,
      fetch: server.fetch,
      clock,
    });
    expect(tokens).toMatchObject({ patient: '428946492', expiresAt: NOW + 300_000 });
  });

  test('checks the ID token nonce when one is given', async () => {
    const idToken = unsignedJwt({
      iss: profile.issuer,
      aud: confidential.clientId,
      sub: 'u1',
      iat: NOW / 1000,
      exp: NOW / 1000 + 300,
      nonce: 'other',
    });
    const server = fakeFetch({ [TOKEN]: () => json(guideTokenResponse({ id_token: idToken })) });
    await expect(
      exchangeCode({
        profile,
        client: confidential,
        code: 'c',
        codeVerifier: VERIFIER,
        nonce: 'sent',
        fetch: server.fetch,
        clock,
      }),
    ).rejects.toMatchObject({ code: 'ERR_ID_TOKEN_INVALID' });
  });

  test('rejects an ID token issued to another client', async () => {
    const idToken = unsignedJwt({
      iss: profile.issuer,
      aud: 'someone-else',
      sub: 'u1',
      iat: NOW / 1000,
      exp: NOW / 1000 + 300,
    });
    const server = fakeFetch({ [TOKEN]: () => json(guideTokenResponse({ id_token: idToken })) });
    await expect(
      exchangeCode({
        profile,
        client: confidential,
        code: 'c',
        codeVerifier: VERIFIER,
        fetch: server.fetch,
        clock,
      }),
    ).rejects.toMatchObject({ code: 'ERR_ID_TOKEN_INVALID' });
  });

  test('turns invalid_grant into ERR_OAUTH with the error, description and status', async () => {
    const server = fakeFetch({
      [TOKEN]: () =>
        json({ error: 'invalid_grant', error_description: 'Code not valid' }, 400, {
          'cache-control': 'no-store',
        }),
    });
    await expect(
      exchangeCode({
        profile,
        client: confidential,
        code: 'c',
        codeVerifier: VERIFIER,
        fetch: server.fetch,
      }),
    ).rejects.toMatchObject({
      code: 'ERR_OAUTH',
      error: 'invalid_grant',
      error_description: 'Code not valid',
      status: 400,
    });
  });

  test('reads invalid_client from the body of a 401 with a WWW-Authenticate challenge', async () => {
    const server = fakeFetch({
      [TOKEN]: () =>
        json({ error: 'invalid_client', error_description: 'Invalid client credentials' }, 401, {
          'www-authenticate': 'Basic realm="nextgen"',
        }),
    });
    await expect(
      exchangeCode({
        profile,
        client: confidential,
        code: 'c',
        codeVerifier: VERIFIER,
        fetch: server.fetch,
      }),
    ).rejects.toMatchObject({ code: 'ERR_OAUTH', error: 'invalid_client', status: 401 });
  });

  test('turns an HTML 502 from a proxy into ERR_RESPONSE_INVALID with the status', async () => {
    const server = fakeFetch({ [TOKEN]: () => html(502) });
    await expect(
      exchangeCode({
        profile,
        client: confidential,
        code: 'c',
        codeVerifier: VERIFIER,
        fetch: server.fetch,
      }),
    ).rejects.toMatchObject({ code: 'ERR_RESPONSE_INVALID', status: 502 });
  });

  test('turns an HTML 400 into ERR_RESPONSE_INVALID with the status', async () => {
    const server = fakeFetch({ [TOKEN]: () => html(400) });
    await expect(
      exchangeCode({
        profile,
        client: confidential,
        code: 'c',
        codeVerifier: VERIFIER,
        fetch: server.fetch,
      }),
    ).rejects.toMatchObject({ code: 'ERR_RESPONSE_INVALID', status: 400 });
  });

  test('turns a 200 with invalid JSON into ERR_RESPONSE_INVALID', async () => {
    const server = fakeFetch({
      [TOKEN]: () =>
        new Response('{"access_token": "x", ', {
          status: 200,
          headers: { 'content-type': 'application/json' },
        }),
    });
    await expect(
      exchangeCode({
        profile,
        client: confidential,
        code: 'c',
        codeVerifier: VERIFIER,
        fetch: server.fetch,
      }),
    ).rejects.toMatchObject({ code: 'ERR_RESPONSE_INVALID' });
  });

  test('turns a response without access_token into ERR_RESPONSE_INVALID', async () => {
    const server = fakeFetch({
      [TOKEN]: () => json(guideTokenResponse({ access_token: undefined })),
    });
    await expect(
      exchangeCode({
        profile,
        client: confidential,
        code: 'c',
        codeVerifier: VERIFIER,
        fetch: server.fetch,
      }),
    ).rejects.toMatchObject({ code: 'ERR_RESPONSE_INVALID' });
  });

  test('turns a rejected fetch into ERR_NETWORK', async () => {
    const server = fakeFetch({});
    await expect(
      exchangeCode({
        profile,
        client: confidential,
        code: 'c',
        codeVerifier: VERIFIER,
        fetch: server.fetch,
      }),
    ).rejects.toMatchObject({ code: 'ERR_NETWORK' });
  });

  test('gives up with ERR_TIMEOUT when the server never answers', async () => {
    const server = fakeFetch({ [TOKEN]: () => new Promise<Response>(() => undefined) });
    await expect(
      exchangeCode({
        profile,
        client: confidential,
        code: 'c',
        codeVerifier: VERIFIER,
        fetch: server.fetch,
        timeoutMs: 5,
      }),
    ).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
  });

  test('stops with ERR_ABORTED when the caller aborts', async () => {
    const controller = new AbortController();
    const server = fakeFetch({
      [TOKEN]: () => {
        controller.abort();
        return new Promise<Response>(() => undefined);
      },
    });
    await expect(
      exchangeCode({
        profile,
        client: confidential,
        code: 'c',
        codeVerifier: VERIFIER,
        fetch: server.fetch,
        signal: controller.signal,
      }),
    ).rejects.toMatchObject({ code: 'ERR_ABORTED' });
  });

  test('rejects a malformed code_verifier before any request', async () => {
    const server = fakeFetch({});
    await expect(
      exchangeCode({
        profile,
        client: confidential,
        code: 'c',
        codeVerifier: 'short',
        fetch: server.fetch,
      }),
    ).rejects.toMatchObject({ code: 'ERR_PKCE_VERIFIER_INVALID' });
    expect(server.requests).toHaveLength(0);
  });

  test('talks plain http to a mock on loopback', async () => {
    const mock = mockProfile('http://127.0.0.1:9000');
    const server = fakeFetch({ [`POST ${mock.tokenEndpoint}`]: () => json(guideTokenResponse()) });
    const tokens = await exchangeCode({
      profile: mock,
      client: confidential,
      code: 'c',
      codeVerifier: VERIFIER,
      fetch: server.fetch,
    });
    expect(tokens.accessToken).toBe('eyJhbGciOiJSUzI1NiJ9.access.sig');
  });
});

describe('refreshTokens', () => {
  test('posts grant_type=refresh_token with the token and an optional narrower scope', async () => {
    const server = fakeFetch({ [TOKEN]: () => json(guideTokenResponse()) });
    await refreshTokens({
      profile,
      client: confidential,
      refreshToken: 'rt-1',
      scope: 'patient/Patient.read',
      fetch: server.fetch,
    });
    expect(Object.fromEntries(new URLSearchParams(server.calls(TOKEN)[0]?.body))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'rt-1',
      scope: 'patient/Patient.read',
    });
  });

  test('turns an expired refresh token into ERR_OAUTH invalid_grant', async () => {
    const server = fakeFetch({
      [TOKEN]: () =>
        json({ error: 'invalid_grant', error_description: 'Token is not active' }, 400),
    });
    await expect(
      refreshTokens({ profile, client: confidential, refreshToken: 'rt', fetch: server.fetch }),
    ).rejects.toMatchObject({ code: 'ERR_OAUTH', error: 'invalid_grant', status: 400 });
  });
});

describe('revokeToken', () => {
  test('posts the token and its type hint to the revocation endpoint', async () => {
    const route = `POST ${profile.revocationEndpoint}`;
    const server = fakeFetch({ [route]: () => new Response(null, { status: 200 }) });
    await revokeToken({
      profile,
      client: confidential,
      token: 'rt-1',
      tokenTypeHint: 'refresh_token',
      fetch: server.fetch,
    });
    expect(Object.fromEntries(new URLSearchParams(server.calls(route)[0]?.body))).toEqual({
      token: 'rt-1',
      token_type_hint: 'refresh_token',
    });
  });

  test('fails with ERR_PROFILE_INVALID when the profile has no revocation endpoint', async () => {
    const { revocationEndpoint: _omitted, ...bare } = profile;
    await expect(
      revokeToken({ profile: bare, client: confidential, token: 't', fetch: fakeFetch({}).fetch }),
    ).rejects.toMatchObject({ code: 'ERR_PROFILE_INVALID' });
  });
});

describe('introspectToken', () => {
  test('returns the active flag and scope of a token', async () => {
    const route = `POST ${profile.introspectionEndpoint}`;
    const server = fakeFetch({
      [route]: () => json({ active: true, scope: 'openid', client_id: 'yourHealthFile' }),
    });
    const result = await introspectToken({
      profile,
      client: confidential,
      token: 'at',
      fetch: server.fetch,
    });
    expect(result).toMatchObject({ active: true, scope: 'openid' });
  });
});

describe('fetchUserInfo', () => {
  const route = `GET ${profile.userinfoEndpoint}`;

  test('sends the bearer token and returns the claims', async () => {
    const server = fakeFetch({ [route]: () => json({ sub: 'u1', fhirUser: 'Person/4007449' }) });
    const claims = await fetchUserInfo({ profile, accessToken: 'at-1', fetch: server.fetch });
    expect(server.calls(route)[0]?.headers.get('authorization')).toBe('Bearer at-1');
    expect(claims).toEqual({ sub: 'u1', fhirUser: 'Person/4007449' });
  });

  test('turns a Bearer invalid_token challenge into ERR_OAUTH invalid_token', async () => {
    const server = fakeFetch({
      [route]: () =>
        new Response(null, {
          status: 401,
          headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
        }),
    });
    await expect(
      fetchUserInfo({ profile, accessToken: 'at-1', fetch: server.fetch }),
    ).rejects.toMatchObject({ code: 'ERR_OAUTH', error: 'invalid_token', status: 401 });
  });
});
