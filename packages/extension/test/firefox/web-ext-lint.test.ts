import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('../../', import.meta.url));
const webExt = join(dirname(createRequire(import.meta.url).resolve('web-ext')), 'bin/web-ext.js');

interface LintMessage {
  code: string;
  message: string;
  file?: string;
}

interface LintReport {
  summary: { errors: number; warnings: number; notices: number };
  errors: LintMessage[];
  warnings: LintMessage[];
  notices: LintMessage[];
}

/** Mozilla's add-on linter (the one addons.mozilla.org runs) over a fresh Firefox build. */
describe('the Firefox build', { timeout: 120_000 }, () => {
  let outdir: string;
  let report: LintReport;

  beforeAll(async () => {
    outdir = await mkdtemp(join(tmpdir(), 'patient-access-firefox-build-'));
    await run(process.execPath, ['build.mjs', '--target', 'firefox', '--outdir', outdir], {
      cwd: packageDir,
    });
    // web-ext exits non-zero when it finds errors; the JSON report is on stdout either way.
    const { stdout } = await run(
      process.execPath,
      [webExt, 'lint', '--source-dir', outdir, '--output', 'json', '--no-config-discovery'],
      { cwd: packageDir, maxBuffer: 16 * 1024 * 1024 },
    ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    report = JSON.parse(stdout) as LintReport;
  }, 120_000);

  afterAll(async () => {
    if (outdir) await rm(outdir, { recursive: true, force: true });
  });

  const describeAll = (messages: LintMessage[]) =>
    messages.map((entry) => `${entry.code} ${entry.file ?? ''}: ${entry.message}`);

  test('passes web-ext lint with no errors', () => {
    expect(describeAll(report.errors)).toEqual([]);
  });

  test('passes web-ext lint with no warnings', () => {
    expect(describeAll(report.warnings)).toEqual([]);
  });

  test('passes web-ext lint with no notices', () => {
    expect(describeAll(report.notices)).toEqual([]);
  });
});
