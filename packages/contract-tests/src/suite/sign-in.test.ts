import {
  FhirClient,
  FhirError,
  fetchUserInfo,
  introspectToken,
  parseScopes,
  refreshTokens,
  revokeToken,
  verifyIdToken,
  type IdTokenClaims,
} from '@patient-access/auth-core';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { beforeAll, describe, expect, test } from 'vitest';
import { jsonType } from '../report/shape.js';
import { signIn, suiteContext, type SignedIn } from './support/context.js';
import { referenceParts } from './support/fhir-user.js';

const context = await suiteContext('sign-in');
const { profile, client } = context.target;
let session: SignedIn;

beforeAll(async () => {
  session = await signIn(context, { record: 'sign-in/browser', recordExchange: 'token/exchange' });
});

function scopeSet(scope: string): string[] {
  return parseScopes(scope)
    .map((parsed) => parsed.raw)
    .sort();
}

describe('headless sign-in', () => {
  test('reaches the redirect URI with a code and the state it sent', () => {
    expect(session.signIn.code).not.toBe('');
    expect(session.signIn.callbackUrl.searchParams.get('state')).toBe(session.signIn.state);
  });

  test('shows a Keycloak login form with username and password', () => {
    context.recorder.note('sign-in/browser', {
      forms: session.signIn.forms.map((form) => ({ ...form })),
    });
    expect(session.signIn.forms[0]).toMatchObject({ id: 'kc-form-login', method: 'POST' });
    expect(session.signIn.forms[0]?.controls).toEqual(
      expect.arrayContaining(['username', 'password']),
    );
  });
});

// The guide: an account with dependents chooses on the selection screen whose record to share.
// The mock gives DavidFHIR his son Alex; on the real server, NGO_DEPENDENT_PATIENT names one.
describe('patient selection, documented by the NextGen guide', () => {
  const dependent = context.target.dependentPatient;
  test.runIf(dependent !== undefined)(
    'choosing a dependent yields a token for that patient',
    async () => {
      const chosen = await signIn(context, { patient: dependent ?? '' });
      expect(chosen.tokens.patient?.trim()).toBe(dependent);
    },
  );
});

// RFC 6749 §5.1 and SMART App Launch: what any compliant server returns for these scopes.
// https://www.rfc-editor.org/rfc/rfc6749#section-5.1
// https://hl7.org/fhir/smart-app-launch/app-launch.html#response-5
describe('token response', () => {
  test.each([
    ['access_token', 'string'],
    ['token_type', 'string'],
    ['expires_in', 'number'],
    ['scope', 'string'],
    ['refresh_token', 'string'],
    ['id_token', 'string'],
    ['patient', 'string'],
  ])('carries %s as a JSON %s', (field, type) => {
    expect(jsonType(session.tokens.raw[field])).toBe(type);
  });

  test('says the token type is Bearer (case-insensitively, RFC 6749 §7.1)', () => {
    expect(String(session.tokens.raw.token_type).toLowerCase()).toBe('bearer');
  });

  test('names the patient by a FHIR id', () => {
    expect(session.tokens.patient).toMatch(/^[A-Za-z0-9\-.]{1,64}$/);
  });

  test('grants no resource scope that was not requested', () => {
    const requested = new Set(scopeSet(context.target.scope).map((scope) => scope.toLowerCase()));
    const extra = scopeSet(session.tokens.scope).filter(
      (scope) => !requested.has(scope.toLowerCase()) && scope.includes('/'),
    );
    expect(extra).toEqual([]);
  });

  test('answers with Cache-Control: no-store (RFC 6749 §5.1)', () => {
    const exchange = context.recorder.toReport().checks['token/exchange']?.exchanges[0];
    expect(exchange?.headers['cache-control']).toContain('no-store');
  });
});

describe('token response, documented by the NextGen guide', () => {
  test.each([
    ['refresh_expires_in', 'number'],
    ['not-before-policy', 'number'],
    ['session_state', 'string'],
    ['resource', 'string'],
    ['need_patient_banner', 'string'],
    ['smart_style_url', 'string'],
    ['practice_id', 'string'],
    ['client_type', 'string'],
    ['subscription_type', 'string'],
  ])('carries %s as a JSON %s', (field, type) => {
    expect(jsonType(session.tokens.raw[field])).toBe(type);
  });

  test('sends need_patient_banner as the string "false" or "true", not a boolean', () => {
    expect(['false', 'true']).toContain(session.tokens.raw.need_patient_banner);
  });

  test('names the signed-in account as resource Person/<id>', () => {
    expect(session.tokens.resource).toMatch(/^Person\/[A-Za-z0-9\-.]+$/);
  });

  test("sends session_state equal to the callback's session_state", () => {
    expect(session.tokens.raw.session_state).toBe(session.signIn.sessionState);
  });
});

describe('ID token', () => {
  let claims: IdTokenClaims;
  beforeAll(async () => {
    claims = await verifyIdToken(session.tokens.idToken ?? '', {
      profile,
      clientId: client.clientId,
      ...(session.signIn.request.nonce ? { nonce: session.signIn.request.nonce } : {}),
      fetch: context.fetch('id-token/jwks'),
    });
  });

  test('is signed with RS256', () => {
    expect(decodeProtectedHeader(session.tokens.idToken ?? '').alg).toBe('RS256');
  });

  test('names the realm as issuer and the client as audience', () => {
    expect(claims.iss).toBe(profile.issuer);
    expect([claims.aud].flat()).toContain(client.clientId);
  });

  test('carries the nonce of the authorization request', () => {
    expect(claims.nonce).toBe(session.signIn.request.nonce);
  });

  test('carries a fhirUser that resolves through a FHIR read', async () => {
    const reference = referenceParts(String(claims.fhirUser));
    expect(reference).toBeDefined();
    const fhir = new FhirClient({
      baseUrl: profile.fhirBaseUrl,
      accessToken: async () => session.tokens.accessToken,
      fetch: context.fetch('id-token/fhir-user'),
    });
    const resource = await fhir.read(reference?.type ?? '', reference?.id ?? '');
    expect(resource).toMatchObject({ resourceType: reference?.type, id: reference?.id });
  });
});

describe('userinfo', () => {
  test('answers the same subject as the ID token', async () => {
    const claims = decodeJwt(session.tokens.idToken ?? '');
    const userInfo = await fetchUserInfo({
      profile,
      accessToken: session.tokens.accessToken,
      fetch: context.fetch('userinfo'),
    });
    expect(userInfo.sub).toBe(claims.sub);
  });
});

describe('introspection (RFC 7662)', () => {
  test('reports a live access token as active', async () => {
    const introspection = await introspectToken({
      profile,
      client,
      token: session.tokens.accessToken,
      fetch: context.fetch('introspection/active'),
    });
    expect(introspection.active).toBe(true);
  });

  test('reports a token it never issued as inactive', async () => {
    const introspection = await introspectToken({
      profile,
      client,
      token: 'not-a-token-this-server-issued',
      fetch: context.fetch('introspection/unknown'),
    });
    expect(introspection.active).toBe(false);
  });
});

// Each test refreshes a token of its own: a server may rotate refresh tokens (Keycloak's
// "Revoke Refresh Token"), so a refresh token already used may be refused.
describe('refresh (RFC 6749 §6)', () => {
  test('without scope, issues a new access token with the original scope', async () => {
    const refreshed = await refreshTokens({
      profile,
      client,
      refreshToken: session.tokens.refreshToken ?? '',
      fetch: context.fetch('refresh/same-scope'),
    });
    expect(refreshed.accessToken).not.toBe(session.tokens.accessToken);
    expect(scopeSet(refreshed.scope)).toEqual(scopeSet(session.tokens.scope));
  });

  test('with a narrower scope, drops the scopes left out', async () => {
    const own = await signIn(context);
    const refreshed = await refreshTokens({
      profile,
      client,
      refreshToken: own.tokens.refreshToken ?? '',
      scope: 'openid patient/Patient.read',
      fetch: context.fetch('refresh/narrower-scope'),
    });
    expect(scopeSet(refreshed.scope)).toContain('patient/Patient.read');
    expect(scopeSet(refreshed.scope)).not.toContain('patient/Condition.read');
  });
});

describe('revocation (RFC 7009)', () => {
  test('of the access token makes introspection report it inactive and FHIR refuse it with 401', async () => {
    const revoked = await signIn(context);
    await revokeToken({
      profile,
      client,
      token: revoked.tokens.accessToken,
      tokenTypeHint: 'access_token',
      fetch: context.fetch('revocation/access-token'),
    });
    const introspection = await introspectToken({
      profile,
      client,
      token: revoked.tokens.accessToken,
    });
    expect(introspection.active).toBe(false);
    const fhir = new FhirClient({
      baseUrl: profile.fhirBaseUrl,
      accessToken: async () => revoked.tokens.accessToken,
      fetch: context.fetch('revocation/fhir-after'),
    });
    const read = fhir.read('Patient', revoked.tokens.patient ?? '');
    await expect(read).rejects.toBeInstanceOf(FhirError);
    await expect(read).rejects.toMatchObject({ status: 401 });
  });

  test('of the refresh token makes refreshing with it fail with invalid_grant', async () => {
    const revoked = await signIn(context);
    await revokeToken({
      profile,
      client,
      token: revoked.tokens.refreshToken ?? '',
      tokenTypeHint: 'refresh_token',
      fetch: context.fetch('revocation/refresh-token'),
    });
    await expect(
      refreshTokens({
        profile,
        client,
        refreshToken: revoked.tokens.refreshToken ?? '',
        fetch: context.fetch('revocation/refresh-after'),
      }),
    ).rejects.toMatchObject({ code: 'ERR_OAUTH', error: 'invalid_grant', status: 400 });
  });
});
