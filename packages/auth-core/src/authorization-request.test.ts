import { describe, expect, test } from 'vitest';
import { buildAuthorizationRequest, parseCallback } from './authorization-request.js';
import type { AuthCoreError } from './errors.js';
import { createPkce } from './pkce.js';
import { NEXTGEN_PRODUCTION, mockProfile } from './server-profile.js';

const client = { clientId: 'yourHealthFile', redirectUri: 'https://oauth.pstmn.io/v1/callback' };
const GUIDE_SCOPE =
  'openid fhirUser offline_access launch/patient patient/Patient.read patient/careplan.read';

function thrown(fn: () => unknown): AuthCoreError {
  try {
    fn();
  } catch (error) {
    return error as AuthCoreError;
  }
  throw new Error('expected a throw');
}

describe('buildAuthorizationRequest', () => {
  test('puts every SMART parameter on the authorize URL with aud set to the FHIR base', async () => {
    const request = await buildAuthorizationRequest({
      profile: NEXTGEN_PRODUCTION,
      client,
      scope: GUIDE_SCOPE,
    });
    const params = request.url.searchParams;
    expect(`${request.url.origin}${request.url.pathname}`).toBe(
      NEXTGEN_PRODUCTION.authorizationEndpoint,
    );
    expect(params.get('response_type')).toBe('code');
    expect(params.get('client_id')).toBe('yourHealthFile');
    expect(params.get('redirect_uri')).toBe('https://oauth.pstmn.io/v1/callback');
    expect(params.get('scope')).toBe(GUIDE_SCOPE);
    expect(params.get('state')).toBe(request.state);
    expect(params.get('nonce')).toBe(request.nonce);
    expect(params.get('code_challenge')).toBe(request.pkce.challenge);
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('aud')).toBe('https://fhir.meditouchehr.com/api/fhir/r4');
  });

  test('generates a nonce only when openid is requested', async () => {
    const request = await buildAuthorizationRequest({
      profile: NEXTGEN_PRODUCTION,
      client,
      scope: ['launch/patient', 'patient/Patient.read'],
    });
    expect(request.nonce).toBeUndefined();
    expect(request.url.searchParams.has('nonce')).toBe(false);
  });

  test('uses the given state, nonce, PKCE pair and prompt', async () => {
    const pkce = await createPkce();
    const request = await buildAuthorizationRequest({
      profile: NEXTGEN_PRODUCTION,
      client,
      scope: 'openid patient/Patient.read',
      state: 'state-1',
      nonce: 'nonce-1',
      pkce,
      prompt: 'login',
    });
    expect(request).toMatchObject({ state: 'state-1', nonce: 'nonce-1', pkce });
    expect(request.url.searchParams.get('prompt')).toBe('login');
  });

  test('never lets extra parameters override the ones it sets', async () => {
    const request = await buildAuthorizationRequest({
      profile: NEXTGEN_PRODUCTION,
      client,
      scope: 'patient/Patient.read',
      extraParams: { code_challenge_method: 'plain', launch: 'xyz' },
    });
    expect(request.url.searchParams.getAll('code_challenge_method')).toEqual(['S256']);
    expect(request.url.searchParams.get('launch')).toBe('xyz');
  });

  test('rejects an invalid scope with ERR_SCOPE_INVALID', async () => {
    await expect(
      buildAuthorizationRequest({ profile: NEXTGEN_PRODUCTION, client, scope: 'patient/.read' }),
    ).rejects.toMatchObject({ code: 'ERR_SCOPE_INVALID' });
  });

  test('rejects a plain-http authorization endpoint off loopback with ERR_PROFILE_INVALID', async () => {
    const profile = {
      ...NEXTGEN_PRODUCTION,
      authorizationEndpoint: 'http://idp.example/auth',
    };
    await expect(
      buildAuthorizationRequest({ profile, client, scope: 'openid' }),
    ).rejects.toMatchObject({ code: 'ERR_PROFILE_INVALID' });
  });

  test('accepts a plain-http mock on 127.0.0.1', async () => {
    const request = await buildAuthorizationRequest({
      profile: mockProfile('http://127.0.0.1:8080'),
      client,
      scope: 'openid',
    });
    expect(request.url.href).toMatch(
      /^http:\/\/127\.0\.0\.1:8080\/auth\/realms\/nextgen\/protocol\/openid-connect\/auth\?/,
    );
  });
});

describe('parseCallback', () => {
  const callback = 'https://oauth.pstmn.io/v1/callback';

  test('returns the code and session_state of a NextGen redirect', () => {
    expect(
      parseCallback(`${callback}?state=s1&session_state=9b0c-uuid&code=abc.def`, { state: 's1' }),
    ).toEqual({ code: 'abc.def', sessionState: '9b0c-uuid' });
  });

  test('rejects a different state with ERR_STATE_MISMATCH', () => {
    expect(thrown(() => parseCallback(`${callback}?state=evil&code=c`, { state: 's1' })).code).toBe(
      'ERR_STATE_MISMATCH',
    );
  });

  test('rejects a missing state with ERR_STATE_MISMATCH', () => {
    expect(thrown(() => parseCallback(`${callback}?code=c`, { state: 's1' })).code).toBe(
      'ERR_STATE_MISMATCH',
    );
  });

  test('turns an error redirect into ERR_AUTHORIZATION_DENIED with error and description', () => {
    const error = thrown(() =>
      parseCallback(`${callback}?state=s1&error=access_denied&error_description=User+cancelled`, {
        state: 's1',
      }),
    );
    expect(error).toMatchObject({
      code: 'ERR_AUTHORIZATION_DENIED',
      error: 'access_denied',
      error_description: 'User cancelled',
    });
  });

  test('checks state before trusting an error redirect', () => {
    expect(
      thrown(() => parseCallback(`${callback}?state=evil&error=access_denied`, { state: 's1' }))
        .code,
    ).toBe('ERR_STATE_MISMATCH');
  });

  test('rejects an iss naming another issuer with ERR_ISSUER_MISMATCH', () => {
    const error = thrown(() =>
      parseCallback(`${callback}?state=s1&code=c&iss=https%3A%2F%2Fevil.example`, {
        state: 's1',
        issuer: NEXTGEN_PRODUCTION.issuer,
      }),
    );
    expect(error).toMatchObject({ code: 'ERR_ISSUER_MISMATCH', actual: 'https://evil.example' });
  });

  test('returns a matching iss', () => {
    const iss = encodeURIComponent(NEXTGEN_PRODUCTION.issuer);
    expect(
      parseCallback(`${callback}?state=s1&code=c&iss=${iss}`, {
        state: 's1',
        issuer: NEXTGEN_PRODUCTION.issuer,
      }),
    ).toEqual({ code: 'c', iss: NEXTGEN_PRODUCTION.issuer });
  });

  test('rejects a callback with neither code nor error with ERR_CALLBACK_INVALID', () => {
    expect(thrown(() => parseCallback(`${callback}?state=s1`, { state: 's1' })).code).toBe(
      'ERR_CALLBACK_INVALID',
    );
  });

  test('rejects a repeated code parameter with ERR_CALLBACK_INVALID', () => {
    expect(
      thrown(() => parseCallback(`${callback}?state=s1&code=a&code=b`, { state: 's1' })).code,
    ).toBe('ERR_CALLBACK_INVALID');
  });

  test('rejects an implicit-flow access token with ERR_CALLBACK_INVALID', () => {
    expect(
      thrown(() => parseCallback(`${callback}?state=s1&code=a&token=t`, { state: 's1' })).code,
    ).toBe('ERR_CALLBACK_INVALID');
  });
});
