#!/usr/bin/env node
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { checkRealTarget } from '../real-preflight.js';

const packageDir = fileURLToPath(new URL('../../', import.meta.url));

/**
 * `npm run test:contract:real`: checks the `NGO_*` variables and the network, then runs the
 * suite with `CONTRACT_TARGET=real`; extra arguments go to vitest.
 */
async function main(args: readonly string[]): Promise<number> {
  const verdict = await checkRealTarget(process.env);
  if (!verdict.run) {
    (verdict.stream === 'stdout' ? console.log : console.error)(verdict.message);
    return verdict.exitCode;
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
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

process.exitCode = await main(process.argv.slice(2));
