#!/usr/bin/env node
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { missingVariables, realProfileFromEnv, REAL_TARGET_VARIABLES } from '../target.js';

const PREFLIGHT_TIMEOUT_MS = 15_000;
const packageDir = fileURLToPath(new URL('../../', import.meta.url));

function reason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // Node's fetch says only "fetch failed"; the useful part (ENOTFOUND, ECONNREFUSED) is the cause.
  const cause = error.cause instanceof Error ? `: ${reason(error.cause)}` : '';
  return `${error.message}${cause}`;
}

/**
 * Reaches the real identity provider once before the suite, so a machine without network (or a
 * wrong `NGO_ISSUER`) gets one clear line instead of every test failing with a stack trace.
 */
async function preflight(): Promise<string | undefined> {
  let url = 'the identity provider';
  try {
    const profile = await realProfileFromEnv(process.env, { timeoutMs: PREFLIGHT_TIMEOUT_MS });
    url = `${profile.issuer}/.well-known/openid-configuration`;
    const response = await fetch(url, { signal: AbortSignal.timeout(PREFLIGHT_TIMEOUT_MS) });
    await response.body?.cancel();
    if (response.status !== 200) return `${url} answered HTTP ${response.status}`;
    return undefined;
  } catch (error) {
    return `cannot reach ${url}: ${reason(error)}`;
  }
}

/**
 * `npm run test:contract:real`: checks the `NGO_*` variables (none missing, or it says which and
 * runs nothing, exit 0), checks the network, then runs the suite with `CONTRACT_TARGET=real`.
 */
async function main(args: readonly string[]): Promise<number> {
  const missing = missingVariables(process.env);
  if (missing.length > 0) {
    console.log(
      [
        'Contract tests against the real NextGen Office server: nothing was run.',
        `Missing environment variables: ${missing.join(', ')}`,
        `(all of ${REAL_TARGET_VARIABLES.join(', ')} are needed; see docs/contract-tests.md).`,
      ].join('\n'),
    );
    return 0;
  }
  const problem = await preflight();
  if (problem) {
    console.error(`Contract tests against the real server: network error: ${problem}`);
    return 1;
  }
  const vitest = fileURLToPath(import.meta.resolve('vitest/vitest.mjs'));
  const child = spawn(process.execPath, [vitest, 'run', 'src/suite/', ...args], {
    cwd: packageDir,
    env: { ...process.env, CONTRACT_TARGET: 'real' },
    stdio: 'inherit',
  });
  return new Promise((resolve) => {
    child.on('error', (error) => {
      console.error(`Could not start vitest: ${error.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

process.exitCode = await main(process.argv.slice(2));
