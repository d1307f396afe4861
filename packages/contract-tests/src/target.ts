import {
  NEXTGEN_PRODUCTION,
  discoverFromFhirBase,
  discoverFromIssuer,
  formatScopes,
  mockProfile,
  type ClientConfig,
  type ServerProfile,
} from '@patient-access/auth-core';

/** A server the suite runs against, with the client and the test user it signs in with. */
export interface ContractTarget {
  kind: 'mock' | 'real';
  profile: ServerProfile;
  client: ClientConfig;
  username: string;
  password: string;
  scope: string;
  /** A dependent of the user's account to pick on the selection screen, when there is one. */
  dependentPatient?: string;
}

/**
 * The scopes of the guide's example authorize URL, lower-case `careplan`/`documentreference`
 * included, since the real server accepts them.
 */
export const DOCUMENTED_SCOPE = formatScopes([
  'openid',
  'fhirUser',
  'offline_access',
  'launch/patient',
  'patient/Patient.read',
  'patient/Medication.read',
  'patient/Condition.read',
  'patient/AllergyIntolerance.read',
  'patient/CareTeam.read',
  'patient/Device.read',
  'patient/DiagnosticReport.read',
  'patient/careplan.read',
  'patient/documentreference.read',
]);

/**
 * The guide's published test client, as the mock registers it. Its Postman callback is never
 * requested: the headless driver stops at the redirect.
 */
export const GUIDE_TEST_CLIENT: ClientConfig = {
  clientId: 'yourHealthFile',
  clientSecret: 'P2uCnXestgMxmlWnIUxNDO8u98qPa4NZ',
  redirectUri: 'https://oauth.pstmn.io/v1/callback',
};

/** The guide's test login whose account has a dependent (so the selection screen offers a choice). */
export const GUIDE_TEST_USER = { username: 'DavidFHIR', password: 'password' } as const;

/** David's son Alex: the dependent the mock gives DavidFHIR's account. */
export const GUIDE_DEPENDENT_PATIENT = '429119572';

/** The environment variables that describe the client registered with NextGen. */
export const REAL_CLIENT_VARIABLES = [
  'NGO_CLIENT_ID',
  'NGO_CLIENT_SECRET',
  'NGO_REDIRECT_URI',
] as const;

/** The environment variables the real target needs; `NGO_ISSUER` and `NGO_FHIR_BASE` are optional. */
export const REAL_TARGET_VARIABLES = [
  ...REAL_CLIENT_VARIABLES,
  'NGO_USERNAME',
  'NGO_PASSWORD',
] as const;

type Environment = Record<string, string | undefined>;

/** Which of `names` (default {@link REAL_TARGET_VARIABLES}) are unset or empty. */
export function missingVariables(
  env: Environment,
  names: readonly string[] = REAL_TARGET_VARIABLES,
): string[] {
  return names.filter((name) => !env[name]);
}

/** The client from `NGO_CLIENT_ID`, `NGO_CLIENT_SECRET`, `NGO_REDIRECT_URI`; throws naming the missing ones. */
export function clientFromEnv(env: Environment): ClientConfig {
  const missing = missingVariables(env, REAL_CLIENT_VARIABLES);
  if (missing.length > 0) throw new Error(`The real client needs ${missing.join(', ')}`);
  return {
    clientId: env.NGO_CLIENT_ID ?? '',
    clientSecret: env.NGO_CLIENT_SECRET ?? '',
    redirectUri: env.NGO_REDIRECT_URI ?? '',
  };
}

/** `CONTRACT_TARGET`: `mock` (default) or `real`; anything else is refused. */
export function targetKind(env: Environment): 'mock' | 'real' {
  const kind = env.CONTRACT_TARGET ?? 'mock';
  if (kind !== 'mock' && kind !== 'real') {
    throw new RangeError(`CONTRACT_TARGET must be "mock" or "real", not "${kind}"`);
  }
  return kind;
}

/** The suite's target for a mock at `origin`: the guide's test client and DavidFHIR. */
export function mockTarget(origin: string): ContractTarget {
  return {
    kind: 'mock',
    profile: mockProfile(origin),
    client: GUIDE_TEST_CLIENT,
    ...GUIDE_TEST_USER,
    scope: DOCUMENTED_SCOPE,
    dependentPatient: GUIDE_DEPENDENT_PATIENT,
  };
}

/** Options of {@link realProfileFromEnv}: network options for discovery. */
export interface ProfileDiscoveryOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/**
 * The real server's profile: NextGen production from the spec, or, when `NGO_ISSUER` or
 * `NGO_FHIR_BASE` point elsewhere (a staging realm), discovered from there.
 */
export async function realProfileFromEnv(
  env: Environment,
  options: ProfileDiscoveryOptions = {},
): Promise<ServerProfile> {
  const issuer = env.NGO_ISSUER;
  const fhirBase = env.NGO_FHIR_BASE;
  if (issuer) {
    return discoverFromIssuer(issuer, {
      ...options,
      fhirBaseUrl: fhirBase ?? NEXTGEN_PRODUCTION.fhirBaseUrl,
    });
  }
  if (fhirBase) return discoverFromFhirBase(fhirBase, options);
  return NEXTGEN_PRODUCTION;
}

/** The real target from `NGO_*` variables; throws naming the missing ones. */
export async function realTargetFromEnv(
  env: Environment,
  options: ProfileDiscoveryOptions = {},
): Promise<ContractTarget> {
  const missing = missingVariables(env);
  if (missing.length > 0) throw new Error(`The real target needs ${missing.join(', ')}`);
  return {
    kind: 'real',
    profile: await realProfileFromEnv(env, options),
    client: clientFromEnv(env),
    username: env.NGO_USERNAME ?? '',
    password: env.NGO_PASSWORD ?? '',
    scope: env.NGO_SCOPE || DOCUMENTED_SCOPE,
    ...(env.NGO_DEPENDENT_PATIENT ? { dependentPatient: env.NGO_DEPENDENT_PATIENT } : {}),
  };
}
