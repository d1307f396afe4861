import { NEXTGEN_PRODUCTION } from '@patient-access/auth-core';
import { describe, expect, test } from 'vitest';
import {
  REAL_TARGET_VARIABLES,
  clientFromEnv,
  missingVariables,
  mockTarget,
  realTargetFromEnv,
  targetKind,
} from './target.js';

const REAL_ENV = {
  NGO_CLIENT_ID: 'my-app',
  NGO_CLIENT_SECRET: 's3cret',
  NGO_REDIRECT_URI: 'http://127.0.0.1:53682/callback',
  NGO_USERNAME: 'DavidFHIR',
  NGO_PASSWORD: 'password',
};

describe('targetKind', () => {
  test('defaults to the mock', () => {
    expect(targetKind({})).toBe('mock');
  });

  test('refuses an unknown target', () => {
    expect(() => targetKind({ CONTRACT_TARGET: 'staging' })).toThrow(RangeError);
  });
});

describe('missingVariables', () => {
  test('names every unset or empty NGO_ variable', () => {
    expect(missingVariables({ NGO_CLIENT_ID: 'x', NGO_PASSWORD: '' })).toEqual([
      'NGO_CLIENT_SECRET',
      'NGO_REDIRECT_URI',
      'NGO_USERNAME',
      'NGO_PASSWORD',
    ]);
  });

  test('finds nothing missing when all are set', () => {
    expect(missingVariables(REAL_ENV)).toEqual([]);
    expect(REAL_TARGET_VARIABLES).toHaveLength(5);
  });
});

describe('clientFromEnv', () => {
  test('builds a confidential client from the environment', () => {
    expect(clientFromEnv(REAL_ENV)).toEqual({
      clientId: 'my-app',
      clientSecret: 's3cret',
      redirectUri: 'http://127.0.0.1:53682/callback',
    });
  });

  test('names the missing client variables', () => {
    expect(() => clientFromEnv({})).toThrow(
      'The real client needs NGO_CLIENT_ID, NGO_CLIENT_SECRET, NGO_REDIRECT_URI',
    );
  });
});

describe('realTargetFromEnv', () => {
  test('uses NextGen production when no issuer or FHIR base is given', async () => {
    const target = await realTargetFromEnv(REAL_ENV);
    expect(target.profile).toBe(NEXTGEN_PRODUCTION);
    expect(target.username).toBe('DavidFHIR');
  });
});

describe('mockTarget', () => {
  test("points the guide's test client at the mock's realm and FHIR base", () => {
    const target = mockTarget('http://127.0.0.1:4000');
    expect(target.profile.issuer).toBe('http://127.0.0.1:4000/auth/realms/nextgen');
    expect(target.profile.fhirBaseUrl).toBe('http://127.0.0.1:4000/api/fhir/r4');
    expect(target.client.clientId).toBe('yourHealthFile');
  });
});
