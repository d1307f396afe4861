import { OAuthError, createPkce, exchangeCode, refreshTokens } from '@patient-access/auth-core';
import { describe, expect, test } from 'vitest';
import { authorize, signIn, suiteContext } from './support/context.js';
import { rawTokenRequest } from './support/raw-token-request.js';

const context = await suiteContext('oauth-errors');
const { profile, client } = context.target;

function exchange(check: string, code: string, codeVerifier: string, override = client) {
  return exchangeCode({
    profile,
    client: override,
    code,
    codeVerifier,
    fetch: context.fetch(check),
  });
}

async function oauthError(promise: Promise<unknown>): Promise<OAuthError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(OAuthError);
  return outcome as OAuthError;
}

// RFC 7636 §4.6: a verifier that does not match the challenge fails the grant.
// RFC 6749 §5.2: a used code or a redirect URI differing from the authorize request's is invalid_grant;
// a client that fails to authenticate gets what the captured realm's Keycloak (17, by its discovery
// keys) answers: 401 unauthorized_client "Invalid client secret" (Keycloak 20 and later say 401
// invalid_client, which RFC 6749 §5.2 prescribes; the real server is the arbiter).
describe('token endpoint errors (RFC 6749 §5.2, RFC 7636 §4.6)', () => {
  test('a wrong PKCE verifier answers 400 invalid_grant', async () => {
    const { code } = await authorize(context);
    const { verifier } = await createPkce();
    const error = await oauthError(exchange('oauth-error/wrong-verifier', code, verifier));
    expect({ error: error.error, status: error.status }).toEqual({
      error: 'invalid_grant',
      status: 400,
    });
  });

  test('a missing PKCE verifier answers 400 invalid_grant', async () => {
    const { code } = await authorize(context);
    const response = await rawTokenRequest(
      profile,
      client,
      { grant_type: 'authorization_code', code, redirect_uri: client.redirectUri },
      context.fetch('oauth-error/missing-verifier'),
    );
    expect({ error: response.body.error, status: response.status }).toEqual({
      error: 'invalid_grant',
      status: 400,
    });
  });

  test('the verifier of an earlier sign-in answers 400 invalid_grant', async () => {
    const earlier = await authorize(context);
    const later = await authorize(context);
    const error = await oauthError(
      exchange('oauth-error/reused-verifier', later.code, earlier.request.pkce.verifier),
    );
    expect({ error: error.error, status: error.status }).toEqual({
      error: 'invalid_grant',
      status: 400,
    });
  });

  test('a replayed code answers 400 invalid_grant', async () => {
    const first = await authorize(context);
    await exchange('oauth-error/replayed-code', first.code, first.request.pkce.verifier);
    const error = await oauthError(
      exchange('oauth-error/replayed-code', first.code, first.request.pkce.verifier),
    );
    expect({ error: error.error, status: error.status }).toEqual({
      error: 'invalid_grant',
      status: 400,
    });
  });

  test("a redirect URI other than the authorize request's answers 400 invalid_grant", async () => {
    const { code, request } = await authorize(context);
    const redirectUri = new URL('wrong-callback', client.redirectUri).href;
    const error = await oauthError(
      exchange('oauth-error/wrong-redirect-uri', code, request.pkce.verifier, {
        ...client,
        redirectUri,
      }),
    );
    expect({ error: error.error, status: error.status }).toEqual({
      error: 'invalid_grant',
      status: 400,
    });
  });

  test('a wrong client secret answers 401 unauthorized_client "Invalid client secret"', async () => {
    const { code, request } = await authorize(context);
    const error = await oauthError(
      exchange('oauth-error/wrong-secret', code, request.pkce.verifier, {
        ...client,
        clientSecret: 'not-the-secret',
      }),
    );
    expect({
      error: error.error,
      status: error.status,
      description: error.error_description,
    }).toEqual({
      error: 'unauthorized_client',
      status: 401,
      description: 'Invalid client secret',
    });
  });

  test('an unknown client answers 400 unauthorized_client "Invalid client credentials"', async () => {
    const response = await rawTokenRequest(
      profile,
      { ...client, clientId: 'no-such-client-of-the-realm' },
      { grant_type: 'authorization_code', code: 'x', redirect_uri: client.redirectUri },
      context.fetch('oauth-error/unknown-client'),
    );
    expect({
      error: response.body.error,
      status: response.status,
      description: response.body.error_description,
    }).toEqual({
      error: 'unauthorized_client',
      status: 400,
      description: 'Invalid client credentials',
    });
  });

  test('an unknown grant type answers 400 unsupported_grant_type', async () => {
    const response = await rawTokenRequest(
      profile,
      client,
      { grant_type: 'urn:example:unknown' },
      context.fetch('oauth-error/unsupported-grant-type'),
    );
    expect({ error: response.body.error, status: response.status }).toEqual({
      error: 'unsupported_grant_type',
      status: 400,
    });
  });

  // RFC 6749 §6: the requested scope MUST NOT include any scope not originally granted.
  test('a refresh asking for a scope never granted answers 400 invalid_scope', async () => {
    const session = await signIn(context, {
      scope: 'openid offline_access launch/patient patient/Patient.read',
    });
    const error = await oauthError(
      refreshTokens({
        profile,
        client,
        refreshToken: session.tokens.refreshToken ?? '',
        scope: 'openid patient/Patient.read patient/Condition.read',
        fetch: context.fetch('oauth-error/refresh-wider-scope'),
      }),
    );
    expect({ error: error.error, status: error.status }).toEqual({
      error: 'invalid_scope',
      status: 400,
    });
  });
});
