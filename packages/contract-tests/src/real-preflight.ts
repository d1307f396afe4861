import { REAL_TARGET_VARIABLES, missingVariables, realProfileFromEnv } from './target.js';

/** The verdict of {@link checkRealTarget}: run the suite, or stop with a message and an exit code. */
export type PreflightResult =
  { run: true } | { run: false; exitCode: 0 | 1; message: string; stream: 'stdout' | 'stderr' };

/** Options of {@link checkRealTarget}. */
export interface PreflightOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
}

function reason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // Node's fetch says only "fetch failed"; the useful part (ENOTFOUND, ECONNREFUSED) is the cause.
  const cause = error.cause instanceof Error ? `: ${reason(error.cause)}` : '';
  return `${error.message}${cause}`;
}

/**
 * Decides whether `npm run test:contract:real` can run: every `NGO_*` variable set (otherwise it
 * says which are missing, runs nothing and succeeds), and the identity provider reachable
 * (otherwise one line naming the network error, and failure) rather than every test failing.
 */
export async function checkRealTarget(
  env: Record<string, string | undefined>,
  options: PreflightOptions = {},
): Promise<PreflightResult> {
  const missing = missingVariables(env);
  if (missing.length > 0) {
    return {
      run: false,
      exitCode: 0,
      stream: 'stdout',
      message: [
        'Contract tests against the real NextGen Office server: nothing was run.',
        `Missing environment variables: ${missing.join(', ')}`,
        `(all of ${REAL_TARGET_VARIABLES.join(', ')} are needed; see docs/contract-tests.md).`,
      ].join('\n'),
    };
  }
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 15_000;
  let url = 'the identity provider';
  try {
    const profile = await realProfileFromEnv(env, { fetch: fetchImpl, timeoutMs });
    url = `${profile.issuer}/.well-known/openid-configuration`;
    const response = await fetchImpl(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    if (response.status === 200) return { run: true };
    return failure(`${url} answered HTTP ${response.status}`);
  } catch (error) {
    return failure(`cannot reach ${url}: ${reason(error)}`);
  }
}

function failure(problem: string): PreflightResult {
  return {
    run: false,
    exitCode: 1,
    stream: 'stderr',
    message: `Contract tests against the real server: network error: ${problem}`,
  };
}
