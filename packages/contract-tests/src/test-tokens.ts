import {
  NEXTGEN_PRODUCTION,
  exchangeCode,
  mockProfile,
  type ClientConfig,
  type ServerProfile,
  type SmartTokenSet,
} from '@patient-access/auth-core';
import { signInHeadless } from './sign-in.js';
import { DOCUMENTED_SCOPE, GUIDE_TEST_CLIENT, clientFromEnv } from './target.js';

/** Where `patient-access-mock` listens unless told otherwise (its `--port` default). */
export const DEFAULT_MOCK_URL = 'http://127.0.0.1:8765';

/** Options of {@link getTestTokens}. */
export interface TestTokenOptions {
  /**
   * `mock`: a running mock at `mockUrl`, with the guide's test client unless `client` is given.
   * `real`: NextGen Office production, with `client` or the `NGO_CLIENT_*` variables.
   * Or any server, as a profile and a client.
   */
  target: 'mock' | 'real' | { profile: ServerProfile; client: ClientConfig };
  username: string;
  password: string;
  /** The mock's origin, e.g. `startMockServer()`'s `url`. Default {@link DEFAULT_MOCK_URL}. */
  mockUrl?: string;
  client?: ClientConfig;
  /** Default: the guide's scopes ({@link DOCUMENTED_SCOPE}). */
  scope?: string;
  /** The patient to pick on the selection screen (a dependent); default the account's own. */
  patient?: string;
  /** Where `real` reads `NGO_CLIENT_ID`, `NGO_CLIENT_SECRET`, `NGO_REDIRECT_URI`. Default `process.env`. */
  env?: Record<string, string | undefined>;
  fetch?: typeof fetch;
  signal?: AbortSignal;
  timeoutMs?: number;
}

function resolveTarget(options: TestTokenOptions): {
  profile: ServerProfile;
  client: ClientConfig;
} {
  const { target } = options;
  if (typeof target === 'object') return target;
  if (target === 'mock') {
    return {
      profile: mockProfile(options.mockUrl ?? DEFAULT_MOCK_URL),
      client: options.client ?? GUIDE_TEST_CLIENT,
    };
  }
  return {
    profile: NEXTGEN_PRODUCTION,
    client: options.client ?? clientFromEnv(options.env ?? process.env),
  };
}

/**
 * Signs a test user in without a browser ({@link signInHeadless}) and exchanges the code through
 * the auth core: one call from credentials to a SMART token set, for a CI job's own tests.
 */
export async function getTestTokens(options: TestTokenOptions): Promise<SmartTokenSet> {
  const { profile, client } = resolveTarget(options);
  const network = {
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const signIn = await signInHeadless({
    profile,
    client,
    username: options.username,
    password: options.password,
    scope: options.scope ?? DOCUMENTED_SCOPE,
    ...(options.patient ? { patient: options.patient } : {}),
    ...network,
  });
  return exchangeCode({
    profile,
    client,
    code: signIn.code,
    codeVerifier: signIn.request.pkce.verifier,
    ...network,
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
}
