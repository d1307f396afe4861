import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createPkce, type Pkce } from '@patient-access/auth-core';
import {
  authorizationHeader,
  anyBody,
  checkProperty,
  FUZZ_TIMEOUT_MS,
  contentType,
  expectHardenedHtml,
  expectOAuthError,
  headers,
  hostileText,
  identityState,
  queryString,
  send,
  wellFormed,
} from './harness.js';
import {
  authorize,
  authorizeParams,
  formAction,
  OIDC,
  signIn,
  testApp,
} from '../test-support/identity-flow.js';

const BACK_CHANNEL_PARAMS = [
  'grant_type',
  'code',
  'redirect_uri',
  'code_verifier',
  'client_id',
  'client_secret',
  'refresh_token',
  'scope',
  'token',
  'token_type_hint',
  'access_token',
  'client_assertion_type',
  'client_assertion',
];
const AUTHORIZE_PARAMS = [
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
  'aud',
  'prompt',
  'max_age',
  'login_hint',
  'response_mode',
  'request_uri',
  'launch',
];
// Every host a registered redirect URI of the built-in clients can name.
const REDIRECT_HOST = /^(oauth\.pstmn\.io|[A-Za-z0-9-]+\.chromiumapp\.org|127\.0\.0\.1|localhost)$/;

let app: FastifyInstance;
let pkce: Pkce;
let accessToken: string;

beforeAll(async () => {
  // No rate limit here: thousands of requests a minute are the point (429s are tested below).
  ({ app } = await testApp({ rateLimit: { loginPerMinute: 0, tokenPerMinute: 0 } }));
  pkce = await createPkce();
  accessToken = (await signIn(app)).tokens.access_token as string;
});
afterAll(() => app.close());

/** `path`, with `?query` when the generated query is not empty. */
const withQuery = (path: string, query: string) => (query ? `${path}?${query}` : path);

const backChannel = (path: string) =>
  fc.record({
    method: fc.constant('POST' as const),
    url: queryString(BACK_CHANNEL_PARAMS).map((query) => withQuery(`${OIDC}/${path}`, query)),
    headers: fc
      .record({
        'content-type': contentType,
        authorization: authorizationHeader(),
      })
      .map(headers),
    payload: anyBody(BACK_CHANNEL_PARAMS),
  });

/** A fuzzed back-channel request must answer 2xx or the OAuth error shape, and change nothing. */
async function rejectedWithoutStateChange(
  request: Parameters<typeof send>[1],
  accept: (response: LightMyRequestResponse) => void,
) {
  const before = await identityState(app);
  const response = await send(app, request);
  expect(response.statusCode).toBeLessThan(500);
  if (response.statusCode >= 400) {
    expectOAuthError(response);
    // Keycloak 17 answers a wrong or missing client secret 401 without a challenge.
    if (response.statusCode === 401 && response.headers['www-authenticate'] === undefined) {
      expect(response.json<{ error: string }>().error).toBe('unauthorized_client');
    }
  } else {
    accept(response);
  }
  expect(await identityState(app)).toBe(before);
}

describe('token endpoint under fuzzed input', () => {
  test(
    'answers every malformed request with an OAuth error and issues nothing',
    async () => {
      await checkProperty(
        fc.asyncProperty(backChannel('token'), (request) =>
          rejectedWithoutStateChange(request, (response) => {
            throw new Error(`A fuzzed token request succeeded: ${response.statusCode}`);
          }),
        ),
        400,
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  test('answers an oversized body with 413 in the OAuth error shape', async () => {
    const response = await send(app, {
      method: 'POST',
      url: `${OIDC}/token`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `grant_type=authorization_code&code=${'a'.repeat(70 * 1024)}`,
    });
    expect(response.statusCode).toBe(413);
    expectOAuthError(response);
  });
});

describe('pushed authorization requests under fuzzed input', () => {
  test(
    'answers 201 with a request_uri or an OAuth error, never a 5xx',
    async () => {
      const request = fc.record({
        method: fc.constant('POST' as const),
        url: fc.constant(`${OIDC}/ext/par/request`),
        headers: fc
          .record({ 'content-type': contentType, authorization: authorizationHeader() })
          .map(headers),
        payload: anyBody([...AUTHORIZE_PARAMS, 'client_secret', 'client_assertion']),
      });
      await checkProperty(
        fc.asyncProperty(request, async (fuzzed) => {
          const response = await send(app, fuzzed);
          expect(response.statusCode).toBeLessThan(500);
          if (response.statusCode === 201) {
            expect(response.json<{ request_uri: string }>().request_uri).toMatch(
              /^urn:ietf:params:oauth:request_uri:/,
            );
          } else {
            expectOAuthError(response);
          }
        }),
        300,
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

describe('revocation and introspection under fuzzed input', () => {
  test(
    'revoke answers 200 or an OAuth error and revokes nothing it was not given',
    async () => {
      await checkProperty(
        fc.asyncProperty(backChannel('revoke'), (request) =>
          rejectedWithoutStateChange(request, (response) => expect(response.statusCode).toBe(200)),
        ),
        300,
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  test(
    'introspect answers an active flag or an OAuth error',
    async () => {
      await checkProperty(
        fc.asyncProperty(backChannel('token/introspect'), (request) =>
          rejectedWithoutStateChange(request, (response) => {
            expect(response.statusCode).toBe(200);
            expect(typeof response.json<{ active: unknown }>().active).toBe('boolean');
          }),
        ),
        300,
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

describe('userinfo under fuzzed input', () => {
  test(
    'answers claims only for the real token and an OAuth error with a challenge otherwise',
    async () => {
      const request = fc.record({
        method: fc.constantFrom('GET' as const, 'POST' as const),
        url: queryString(['access_token', 'schema']).map((query) =>
          withQuery(`${OIDC}/userinfo`, query),
        ),
        headers: fc
          .record({
            'content-type': contentType,
            authorization: authorizationHeader([`Bearer ${accessToken}`, `bearer ${accessToken}`]),
          })
          .map(headers),
        payload: anyBody(['access_token']),
      });
      await checkProperty(
        fc.asyncProperty(request, async (fuzzed) => {
          const response = await send(
            app,
            fuzzed.method === 'GET' ? { ...fuzzed, payload: undefined } : fuzzed,
          );
          expect(response.statusCode).toBeLessThan(500);
          if (response.statusCode === 200) {
            expect(response.json<{ sub?: unknown }>().sub).toBeTypeOf('string');
          } else {
            expectOAuthError(response);
            if (response.statusCode === 401) {
              expect(response.headers['www-authenticate']).toMatch(/^Bearer /);
            }
          }
        }),
        300,
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

/** Redirect URIs an attacker tries against the `*` patterns of the registered clients. */
const redirectUri = fc.oneof(
  fc.constantFrom(
    'https://oauth.pstmn.io/v1/callback',
    'https://abc.chromiumapp.org/cb',
    'http://127.0.0.1:9999/cb',
    'http://localhost/cb',
  ),
  fc
    .tuple(
      fc.constantFrom('http://', 'https://', 'javascript:', '//', 'data:', 'HTTPS://'),
      fc.constantFrom('', 'user@', 'user:pass@', '127.0.0.1@', 'localhost:80@'),
      fc.constantFrom(
        'evil.com',
        'abc.chromiumapp.org',
        'abc.chromiumapp.org.evil.com',
        'evil.com\\.chromiumapp.org',
        'evil.com#.chromiumapp.org',
        'evil.com?.chromiumapp.org',
        '127.0.0.1',
        '127.0.0.1.evil.com',
        'localhost',
        'localhost.evil.com',
        'oauth.pstmn.io',
        'oauth.pstmn.io.evil.com',
        '[::1]',
        'xn--80ak6aa92e.com',
      ),
      fc.constantFrom('', ':80', ':65535', ':99999', ':0', ':abc', ':@evil.com'),
      fc.constantFrom(
        '',
        '/',
        '/cb',
        '/v1/callback',
        '/@evil.com',
        '//evil.com',
        '/\t@evil.com',
        '/%2F%2Fevil.com',
        '/#x',
      ),
    )
    .map((parts) => parts.join('')),
  hostileText,
);

describe('authorize under fuzzed input', () => {
  test(
    'shows a hardened page or redirects only to a registered redirect URI',
    async () => {
      const request = fc.record({
        method: fc.constantFrom('GET' as const, 'POST' as const),
        client: fc.oneof(
          { weight: 6, arbitrary: fc.constantFrom('yourHealthFile', 'patient-access-extension') },
          { weight: 1, arbitrary: fc.constantFrom('unknown', undefined) },
        ),
        redirect: fc.option(redirectUri, { freq: 3 }),
        overrides: fc.dictionary(fc.constantFrom(...AUTHORIZE_PARAMS), fc.option(hostileText), {
          maxKeys: 3,
        }),
        extra: queryString(AUTHORIZE_PARAMS),
      });
      await checkProperty(
        fc.asyncProperty(request, async ({ method, client, redirect, overrides, extra }) => {
          const params = authorizeParams(pkce, {
            client_id: client,
            ...(redirect === null ? {} : { redirect_uri: wellFormed(redirect) }),
            ...Object.fromEntries(
              Object.entries(overrides).map(([name, value]) => [
                name,
                value === null ? undefined : wellFormed(value),
              ]),
            ),
          });
          const query = [new URLSearchParams(params).toString(), extra].filter(Boolean).join('&');
          const response =
            method === 'GET'
              ? await send(app, { method, url: `${OIDC}/auth?${query}`, headers: {} })
              : await send(app, {
                  method,
                  url: `${OIDC}/auth`,
                  headers: { 'content-type': 'application/x-www-form-urlencoded' },
                  payload: query,
                });
          expect([200, 302, 400]).toContain(response.statusCode);
          if (response.statusCode === 302) {
            const location = new URL(response.headers.location as string);
            expect(location.protocol).toMatch(/^https?:$/);
            expect(location.hostname).toMatch(REDIRECT_HOST);
            expect(location.username).toBe('');
          } else {
            expectHardenedHtml(response);
          }
        }),
        600,
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

describe('login actions under fuzzed input', () => {
  test(
    'answer an HTML page and sign nobody in on forged or garbled posts',
    async () => {
      const login = await authorize(app, authorizeParams(pkce));
      const action = new URL(formAction(login.body, 'kc-form-login'), 'http://localhost');
      const tabId = action.searchParams.get('tab_id') ?? '';
      // The attempt is bound to the browser's AUTH_SESSION_ID cookie: send it in most cases so
      // the fuzzed posts reach the session_code and form handling behind that check.
      const authSession = login.cookies.find((cookie) => cookie.name === 'AUTH_SESSION_ID');
      const browserCookie = `AUTH_SESSION_ID=${authSession?.value ?? ''}`;
      const request = fc.record({
        path: fc.constantFrom('authenticate', 'consent'),
        tab: fc.oneof(fc.constant(tabId), hostileText),
        code: fc.oneof(fc.constant(action.searchParams.get('session_code') ?? ''), hostileText),
        extra: queryString(['tab_id', 'session_code', 'client_id', 'execution']),
        type: contentType,
        payload: anyBody(['username', 'password', 'patient', 'scope', 'accept', 'cancel']),
        cookie: fc.oneof(
          { weight: 3, arbitrary: fc.constant(browserCookie) },
          { weight: 1, arbitrary: fc.constant(undefined) },
          {
            weight: 1,
            arbitrary: hostileText.map((text) => `AUTH_SESSION_ID=${wellFormed(text)}`),
          },
        ),
      });
      await checkProperty(
        fc.asyncProperty(request, async ({ path, tab, code, extra, type, payload, cookie }) => {
          const before = await identityState(app);
          const query = new URLSearchParams({
            tab_id: wellFormed(tab),
            session_code: wellFormed(code),
          });
          const response = await send(app, {
            method: 'POST',
            url: `/auth/realms/nextgen/login-actions/${path}?${query}${extra ? `&${extra}` : ''}`,
            headers: headers({ 'content-type': type, cookie }),
            ...(payload === undefined ? {} : { payload }),
          });
          expect(response.statusCode).toBeLessThan(500);
          if (response.headers['content-type']?.toString().startsWith('application/json')) {
            expectOAuthError(response);
          } else {
            expect([200, 400]).toContain(response.statusCode);
            expectHardenedHtml(response);
          }
          expect(await identityState(app)).toBe(before);
        }),
        400,
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

describe('logout, discovery and unknown paths under fuzzed input', () => {
  test(
    'logout answers a page or redirects to a registered URI',
    async () => {
      const request = fc.record({
        method: fc.constantFrom('GET' as const, 'POST' as const),
        query: queryString(['id_token_hint', 'post_logout_redirect_uri', 'client_id', 'state']),
        redirect: fc.option(redirectUri),
      });
      await checkProperty(
        fc.asyncProperty(request, async ({ method, query, redirect }) => {
          const redirectParam =
            redirect === null
              ? ''
              : `post_logout_redirect_uri=${encodeURIComponent(wellFormed(redirect))}`;
          const fullQuery = [query, redirectParam].filter(Boolean).join('&');
          const response = await send(app, {
            method,
            url: `${OIDC}/logout${fullQuery ? `?${fullQuery}` : ''}`,
            headers: {},
          });
          expect(response.statusCode).toBeLessThan(500);
          if (response.statusCode === 302) {
            expect(new URL(response.headers.location as string).hostname).toMatch(REDIRECT_HOST);
          } else if (response.headers['content-type']?.toString().startsWith('text/html')) {
            expectHardenedHtml(response);
          } else {
            expectOAuthError(response);
          }
        }),
        300,
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  test(
    'discovery and JWKS ignore any query and unknown realm paths answer a 404 error',
    async () => {
      const request = fc.record({
        path: fc.oneof(
          fc.constantFrom('/auth/realms/nextgen/.well-known/openid-configuration', `${OIDC}/certs`),
          hostileText.map((segment) => `/auth/realms/${encodeURIComponent(wellFormed(segment))}/x`),
        ),
        query: queryString(['a', 'realm', '__proto__']),
      });
      await checkProperty(
        fc.asyncProperty(request, async ({ path, query }) => {
          const response = await send(app, {
            method: 'GET',
            url: withQuery(path, query),
            headers: {},
          });
          if (path.endsWith('/x')) {
            expect(response.statusCode).toBe(404);
            expectOAuthError(response);
          } else {
            expect(response.statusCode).toBe(200);
            expect(response.headers['content-type']).toMatch(/^application\/json/);
          }
        }),
        300,
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  test(
    'the session iframe and its init check answer 200, 204, 400, 403 or 404, never a 5xx',
    async () => {
      const request = fc.record({
        path: fc.constantFrom(
          `${OIDC}/login-status-iframe.html`,
          `${OIDC}/login-status-iframe.html/init`,
        ),
        query: queryString(['client_id', 'origin', 'version']),
      });
      await checkProperty(
        fc.asyncProperty(request, async ({ path, query }) => {
          const response = await send(app, {
            method: 'GET',
            url: withQuery(path, query),
            headers: {},
          });
          expect([200, 204, 400, 403, 404]).toContain(response.statusCode);
        }),
        300,
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

describe('rate limits', () => {
  test('answer 429 temporarily_unavailable with Retry-After once the limit is spent', async () => {
    const { app: limited } = await testApp({ rateLimit: { loginPerMinute: 0, tokenPerMinute: 2 } });
    const post = () =>
      send(limited, {
        method: 'POST',
        url: `${OIDC}/token`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'grant_type=authorization_code',
      });
    await post();
    await post();
    const response = await post();
    await limited.close();
    expect(response.statusCode).toBe(429);
    expectOAuthError(response);
    expect(response.json<{ error: string }>().error).toBe('temporarily_unavailable');
    expect(response.headers['retry-after']).toBeDefined();
  });
});
