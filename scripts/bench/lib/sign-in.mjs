// @ts-check
// Codes and tokens through the real authorize, login and selection screens of a running mock,
// driven by the contract tests' headless sign-in (no second HTML-form driver here).
import { exchangeCode, mockProfile } from '@patient-access/auth-core';
import { GUIDE_TEST_CLIENT, GUIDE_TEST_USER, signInHeadless } from '@patient-access/contract-tests';

/** Everything the benchmark reads: the patient, its vital signs, the account. */
export const BENCH_SCOPE =
  'openid fhirUser launch/patient patient/Patient.read patient/Observation.read';

/**
 * @typedef {object} SignInOptions
 * @property {string} [scope]
 * @property {import('@patient-access/auth-core').ClientConfig} [client]
 * @property {typeof fetch} [fetch]
 */

/**
 * One complete sign-in; resolves to the code and its PKCE verifier, not yet exchanged.
 * @param {string} mockUrl
 * @param {SignInOptions} [options]
 */
export async function mintCode(mockUrl, options = {}) {
  const result = await signInHeadless({
    profile: mockProfile(mockUrl),
    client: options.client ?? GUIDE_TEST_CLIENT,
    ...GUIDE_TEST_USER,
    scope: options.scope ?? BENCH_SCOPE,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  return { code: result.code, verifier: result.request.pkce.verifier };
}

/**
 * `count` codes, minted `concurrency` sign-ins at a time.
 * @param {string} mockUrl
 * @param {number} count
 * @param {number} [concurrency]
 */
export async function mintCodes(mockUrl, count, concurrency = 8) {
  /** @type {Array<{ code: string, verifier: string }>} */
  const codes = [];
  let started = 0;
  const worker = async () => {
    while (started < count) {
      started += 1;
      codes.push(await mintCode(mockUrl));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return codes;
}

/**
 * A sign-in and its code exchange through the auth core: a SMART token set.
 * @param {string} mockUrl
 * @param {SignInOptions} [options]
 */
export async function signIn(mockUrl, options = {}) {
  const client = options.client ?? GUIDE_TEST_CLIENT;
  const { code, verifier } = await mintCode(mockUrl, options);
  return exchangeCode({
    profile: mockProfile(mockUrl),
    client,
    code,
    codeVerifier: verifier,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}
