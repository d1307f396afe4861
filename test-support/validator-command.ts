import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/** What a validator command answered: its exit code and its JSON report. */
export interface ValidatorRun {
  exitCode: number;
  report: string;
}

/**
 * Runs one of the team's validator commands (`../shared/tools/*-validate`, plain `node`
 * scripts) with `args`, its standard output written to `reportFile`: the validators exit right
 * after writing their report, which cuts a large report short when it is read through a pipe.
 * Exit codes 0 (valid) and 1 (errors found) carry a complete report; anything else (a usage or
 * I/O problem, a crash) throws with the end of the command's standard error.
 */
export async function runValidatorCommand(
  script: string,
  args: readonly string[],
  reportFile: string,
): Promise<ValidatorRun> {
  const out = openSync(reportFile, 'w');
  let stderr = '';
  const exitCode = await new Promise<number | null>((done, fail) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', out, 'pipe'] });
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', done);
  }).finally(() => closeSync(out));
  if (exitCode !== 0 && exitCode !== 1) {
    throw new Error(`${script} exited with ${exitCode}: ${stderr.slice(-2000)}`);
  }
  return { exitCode, report: await readFile(reportFile, 'utf8') };
}
