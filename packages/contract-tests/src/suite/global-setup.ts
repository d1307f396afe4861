import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { startMockServer } from '@patient-access/mock-server';
import type { TestProject } from 'vitest/node';
import { mergeReports, parseReport, serializeReport } from '../report/report.js';
import { missingVariables, targetKind } from '../target.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The mock's origin when the target is the mock; empty for the real server. */
    contractMockOrigin: string;
    contractTargetKind: 'mock' | 'real';
    /** Where each suite file drops its part of the observation report. */
    contractReportDir: string;
  }
}

/** Where the merged report goes: `CONTRACT_REPORT` (relative to where npm was run) or the OS temp dir. */
function reportPath(kind: string): string {
  const requested = process.env.CONTRACT_REPORT;
  if (requested) return resolve(process.env.INIT_CWD ?? process.cwd(), requested);
  return join(tmpdir(), `patient-access-contract-report-${kind}.json`);
}

/**
 * Starts the mock once for every suite file (or checks the real target's variables), and on
 * teardown merges the files' observations into one report.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const kind = targetKind(process.env);
  const reportDir = await mkdtemp(join(tmpdir(), 'patient-access-contract-'));
  let closeMock: (() => Promise<void>) | undefined;
  if (kind === 'mock') {
    const mock = await startMockServer({ port: 0, host: '127.0.0.1' });
    closeMock = () => mock.close();
    project.provide('contractMockOrigin', new URL(mock.url).origin);
  } else {
    const missing = missingVariables(process.env);
    if (missing.length > 0) throw new Error(`CONTRACT_TARGET=real needs ${missing.join(', ')}`);
    project.provide('contractMockOrigin', '');
  }
  project.provide('contractTargetKind', kind);
  project.provide('contractReportDir', reportDir);

  return async () => {
    try {
      const files = (await readdir(reportDir)).filter((name) => name.endsWith('.json')).sort();
      if (files.length > 0) {
        const parts = await Promise.all(
          files.map(async (name) =>
            parseReport(await readFile(join(reportDir, name), 'utf8'), name),
          ),
        );
        const path = reportPath(kind);
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, serializeReport(mergeReports(kind, parts)));
        console.log(`Contract observation report (${kind}): ${path}`);
      }
    } finally {
      await rm(reportDir, { recursive: true, force: true });
      await closeMock?.();
    }
  };
}
