import { describe, expect, test } from 'vitest';
import type { AuthCoreError } from './errors.js';
import { guideTokenResponse } from './test-support/fake-fetch.js';
import { parseTokenResponse } from './token-response.js';

const NOW = Date.UTC(2024, 0, 15, 12, 0, 0);

function thrown(fn: () => unknown): AuthCoreError {
  try {
    fn();
  } catch (error) {
    return error as AuthCoreError;
  }
  throw new Error('expected a throw');
}

describe('parseTokenResponse', () => {
  test('parses the guide example and normalises its quirks', () => {
    const raw = guideTokenResponse({ id_token: 'eyJ.id.token' });
    const tokens = parseTokenResponse(raw, { now: NOW });
    expect(tokens).toEqual({
      accessToken: 'eyJhbGciOiJSUzI1NiJ9.access.sig',
      tokenType: 'Bearer',
      expiresIn: 300,
      expiresAt: NOW + 300_000,
      refreshToken: 'eyJhbGciOiJIUzI1NiJ9.refresh.sig',
      refreshExpiresAt: NOW + 1_800_000,
      idToken: 'eyJ.id.token',
      scope: 'openid fhirUser offline_access launch/patient patient/Patient.read',
      patient: '428946492',
      resource: 'Person/4007449',
      needPatientBanner: false,
      smartStyleUrl:
        'https://fhir.meditouchehr.com/electronic/json/api/portalSmartStyleConfig.json',
      practiceId: '1673497',
      clientType: 'STANDALONE',
      subscriptionType: 'Indefinite',
      sessionState: '7f1c9a3e-5b2d-4c8e-9f6a-1d2e3f4a5b6c',
      notBeforePolicy: 1661487077,
      raw,
    });
  });

  test('keeps the raw response untouched', () => {
    const raw = guideTokenResponse();
    expect(parseTokenResponse(raw, { now: NOW }).raw.patient).toBe(' 428946492');
  });

  test('reads need_patient_banner "true" as true', () => {
    const raw = guideTokenResponse({ need_patient_banner: 'true' });
    expect(parseTokenResponse(raw, { now: NOW }).needPatientBanner).toBe(true);
  });

  test('treats refresh_expires_in 0 as an offline token without refresh expiry', () => {
    const tokens = parseTokenResponse(guideTokenResponse({ refresh_expires_in: 0 }), { now: NOW });
    expect(tokens.refreshExpiresAt).toBeUndefined();
    expect(tokens.refreshToken).toBe('eyJhbGciOiJIUzI1NiJ9.refresh.sig');
  });

  test('accepts a lower-case bearer token_type', () => {
    const tokens = parseTokenResponse(guideTokenResponse({ token_type: 'bearer' }), { now: NOW });
    expect(tokens.tokenType).toBe('Bearer');
  });

  test('rejects a response without access_token with ERR_RESPONSE_INVALID', () => {
    const raw = guideTokenResponse({ access_token: undefined });
    expect(thrown(() => parseTokenResponse(raw, { now: NOW })).code).toBe('ERR_RESPONSE_INVALID');
  });

  test('rejects a non-Bearer token_type with ERR_RESPONSE_INVALID', () => {
    const raw = guideTokenResponse({ token_type: 'mac' });
    expect(thrown(() => parseTokenResponse(raw, { now: NOW })).code).toBe('ERR_RESPONSE_INVALID');
  });

  test('rejects a negative expires_in with ERR_RESPONSE_INVALID', () => {
    const raw = guideTokenResponse({ expires_in: -5 });
    expect(thrown(() => parseTokenResponse(raw, { now: NOW })).code).toBe('ERR_RESPONSE_INVALID');
  });

  test('rejects a need_patient_banner that is neither boolean nor "true"/"false"', () => {
    const raw = guideTokenResponse({ need_patient_banner: 'maybe' });
    expect(thrown(() => parseTokenResponse(raw, { now: NOW })).code).toBe('ERR_RESPONSE_INVALID');
  });

  test('rejects a body that is not an object with ERR_RESPONSE_INVALID', () => {
    expect(thrown(() => parseTokenResponse(['x'], { now: NOW })).code).toBe('ERR_RESPONSE_INVALID');
  });
});
