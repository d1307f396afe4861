import { describe, expect, test } from 'vitest';
import {
  formatScopes,
  hasScope,
  parseScope,
  parseScopes,
  resourceAccess,
  resourceScope,
} from './scopes.js';

const GUIDE_SCOPES =
  'openid fhirUser offline_access launch/patient patient/Patient.read patient/Medication.read ' +
  'patient/Condition.read patient/AllergyIntolerance.read patient/CareTeam.read patient/Device.read ' +
  'patient/DiagnosticReport.read patient/careplan.read patient/documentreference.read';

describe('parseScope', () => {
  test('parses a SMART v1 read scope as read and search', () => {
    expect(parseScope('patient/Condition.read')).toMatchObject({
      kind: 'resource',
      context: 'patient',
      resourceType: 'Condition',
      version: 1,
      permissions: { c: false, r: true, u: false, d: false, s: true },
    });
  });

  test('parses a SMART v2 scope into its letters', () => {
    expect(parseScope('patient/Condition.rs')).toMatchObject({
      version: 2,
      permissions: { r: true, s: true, c: false },
    });
    expect(parseScope('user/Observation.r').kind).toBe('resource');
  });

  test('parses a v2 granular restriction', () => {
    const scope = parseScope(
      'patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory',
    );
    expect(scope).toMatchObject({
      restriction: {
        category: 'http://terminology.hl7.org/CodeSystem/observation-category|laboratory',
      },
    });
  });

  test('parses the named launch and OpenID scopes', () => {
    for (const name of ['openid', 'fhirUser', 'offline_access', 'launch/patient']) {
      expect(parseScope(name)).toEqual({ kind: 'named', raw: name });
    }
  });

  test('rejects tokens that are not SMART scopes', () => {
    for (const bad of [
      'patient/Condition',
      'patient/.read',
      'doctor/Condition.read',
      'patient/Condition.sr',
      'x',
    ]) {
      expect(() => parseScope(bad), bad).toThrow(
        expect.objectContaining({ code: 'ERR_SCOPE_INVALID' }),
      );
    }
  });
});

describe('parseScopes', () => {
  test("parses the guide's example scope string, lower-case resource names included", () => {
    expect(parseScopes(GUIDE_SCOPES)).toHaveLength(13);
  });

  test('ignores repeated spaces and duplicate tokens', () => {
    expect(parseScopes('openid  openid patient/Patient.read ').map((s) => s.raw)).toEqual([
      'openid',
      'patient/Patient.read',
    ]);
  });
});

describe('formatScopes and resourceScope', () => {
  test('build v1 and v2 scope strings', () => {
    expect(
      formatScopes([
        'openid',
        resourceScope('patient', 'Condition'),
        resourceScope('patient', 'Goal', { version: 2 }),
      ]),
    ).toBe('openid patient/Condition.read patient/Goal.rs');
  });
});

describe('resourceAccess', () => {
  const scopes = parseScopes(GUIDE_SCOPES);

  test('matches resource types case-insensitively', () => {
    expect(resourceAccess(scopes, 'CarePlan', 'search')).toEqual({
      allowed: true,
      restrictions: [],
    });
    expect(resourceAccess(scopes, 'DocumentReference', 'read').allowed).toBe(true);
  });

  test('refuses a type no scope names', () => {
    expect(resourceAccess(scopes, 'Observation', 'read')).toEqual({ allowed: false });
  });

  test('lets patient/*.read reach every type', () => {
    expect(resourceAccess(parseScopes('patient/*.read'), 'Immunization', 'search').allowed).toBe(
      true,
    );
  });

  test('separates v2 read from search', () => {
    const v2 = parseScopes('patient/Condition.r');
    expect(resourceAccess(v2, 'Condition', 'read').allowed).toBe(true);
    expect(resourceAccess(v2, 'Condition', 'search').allowed).toBe(false);
  });

  test('returns granular restrictions unless an unrestricted scope also matches', () => {
    const lab =
      'patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory';
    expect(resourceAccess(parseScopes(lab), 'Observation', 'search')).toEqual({
      allowed: true,
      restrictions: [
        { category: 'http://terminology.hl7.org/CodeSystem/observation-category|laboratory' },
      ],
    });
    expect(
      resourceAccess(parseScopes(`${lab} patient/Observation.rs`), 'Observation', 'search'),
    ).toEqual({
      allowed: true,
      restrictions: [],
    });
  });

  test('does not let user or system scopes stand in for patient scopes', () => {
    expect(resourceAccess(parseScopes('user/Condition.read'), 'Condition', 'read').allowed).toBe(
      false,
    );
  });
});

describe('hasScope', () => {
  test('finds a named scope', () => {
    const scopes = parseScopes('openid offline_access');
    expect(hasScope(scopes, 'offline_access')).toBe(true);
    expect(hasScope(scopes, 'fhirUser')).toBe(false);
  });
});
