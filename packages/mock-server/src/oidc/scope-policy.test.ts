import { describe, expect, test } from 'vitest';
import { knownScopes } from './scope-policy.js';

describe('knownScopes', () => {
  test('admits scopes listed in scopes_supported', () => {
    expect(knownScopes('openid fhirUser launch/patient patient/Observation.rs')).toHaveLength(4);
  });

  test('admits a listed scope whose resource type differs only in case', () => {
    expect(knownScopes('patient/careplan.read')).toHaveLength(1);
  });

  test('refuses a v1 write scope the realm does not list', () => {
    expect(knownScopes('patient/Observation.write')).toBeUndefined();
  });

  test('refuses v2 interactions beyond those listed', () => {
    expect(knownScopes('patient/Observation.cruds')).toBeUndefined();
  });

  test('admits a v2 scope with fewer interactions than a listed one', () => {
    expect(knownScopes('patient/MedicationRequest.s')).toHaveLength(1);
  });

  test('admits a v2 scope that adds a search restriction to a listed one', () => {
    expect(knownScopes('patient/Observation.rs?code=http://loinc.org|8867-4')).toHaveLength(1);
  });

  test('admits one type of a listed wildcard scope', () => {
    expect(knownScopes('system/Binary.rs', 'service')).toHaveLength(1);
    expect(knownScopes('system/Binary.rs')).toBeUndefined();
  });

  test('refuses a v2 scope that drops the restriction of the only listed scope it narrows', () => {
    expect(knownScopes('user/Observation.c?category=x')).toBeUndefined();
  });

  test('refuses a resource type the realm has no scope for, even under a wildcard', () => {
    expect(knownScopes('patient/Spaceship.read')).toBeUndefined();
    expect(knownScopes('patient/Spaceship.rs')).toBeUndefined();
  });

  test('refuses system scopes for a browser sign-in', () => {
    expect(knownScopes('openid system/Observation.rs')).toBeUndefined();
  });

  test('admits only system scopes for a backend service', () => {
    expect(knownScopes('system/*.read system/Observation.rs', 'service')).toHaveLength(2);
    expect(knownScopes('system/Observation.rs openid', 'service')).toBeUndefined();
    expect(knownScopes('patient/Observation.rs', 'service')).toBeUndefined();
  });

  test('refuses a scope of invalid syntax', () => {
    expect(knownScopes('patient/Observation.xyz')).toBeUndefined();
  });
});
