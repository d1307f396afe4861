import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exchangeCode, type SmartTokenSet } from '@patient-access/auth-core';
import { afterAll, inject } from 'vitest';
import { ReportRecorder } from '../../report/recorder.js';
import { serializeReport } from '../../report/report.js';
import { signInHeadless, type HeadlessSignInResult } from '../../sign-in.js';
import { mockTarget, realTargetFromEnv, type ContractTarget } from '../../target.js';

/** What every suite file works with: the target and the recorder of its observations. */
export interface SuiteContext {
  target: ContractTarget;
  recorder: ReportRecorder;
  /** A `fetch` that records under `check`. */
  fetch(check: string): typeof fetch;
}

/**
 * The suite context of one file (`part` names its share of the report). Writes the file's
 * observations for the global teardown to merge.
 */
export async function suiteContext(part: string): Promise<SuiteContext> {
  const kind = inject('contractTargetKind');
  const target =
    kind === 'mock'
      ? mockTarget(inject('contractMockOrigin'))
      : await realTargetFromEnv(process.env);
  const recorder = new ReportRecorder(kind);
  afterAll(async () => {
    await writeFile(
      join(inject('contractReportDir'), `${part}.json`),
      serializeReport(recorder.toReport()),
    );
  });
  return { target, recorder, fetch: (check) => recorder.fetch(check) };
}

/** A signed-in session: the driver's result and the tokens the auth core got for its code. */
export interface SignedIn {
  signIn: HeadlessSignInResult;
  tokens: SmartTokenSet;
}

/** Options of {@link signIn}. */
export interface SignInOptions {
  /** Record the sign-in's requests under this check (only one sign-in per check is useful). */
  record?: string;
  scope?: string;
  patient?: string;
  /** More authorize parameters (`response_mode`, `launch`). */
  extraParams?: Record<string, string>;
}

/** Signs the target's test user in headlessly, without exchanging the code. */
export function authorize(
  context: SuiteContext,
  options: SignInOptions = {},
): Promise<HeadlessSignInResult> {
  const { target } = context;
  return signInHeadless({
    profile: target.profile,
    client: target.client,
    username: target.username,
    password: target.password,
    scope: options.scope ?? target.scope,
    ...(options.extraParams ? { extraParams: options.extraParams } : {}),
    ...(options.patient ? { patient: options.patient } : {}),
    ...(options.record ? { fetch: context.fetch(options.record) } : {}),
  });
}

/** Signs in and exchanges the code through the auth core, as a client would. */
export async function signIn(
  context: SuiteContext,
  options: SignInOptions & { recordExchange?: string } = {},
): Promise<SignedIn> {
  const result = await authorize(context, options);
  const tokens = await exchangeCode({
    profile: context.target.profile,
    client: context.target.client,
    code: result.code,
    codeVerifier: result.request.pkce.verifier,
    ...(result.request.nonce ? { nonce: result.request.nonce } : {}),
    ...(options.recordExchange ? { fetch: context.fetch(options.recordExchange) } : {}),
  });
  return { signIn: result, tokens };
}
