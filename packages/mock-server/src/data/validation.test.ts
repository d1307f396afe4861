import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { generateDataset } from './index.js';

// The validator and the official US Core package live in the team's shared folder, beside the
// repository (a copy beside the clone in CI); PATIENT_ACCESS_SHARED_DIR points elsewhere.
const repoRoot = resolve(fileURLToPath(new URL('../../../..', import.meta.url)));
const sharedDir = process.env.PATIENT_ACCESS_SHARED_DIR ?? resolve(repoRoot, '../shared');
const validator = join(sharedDir, 'tools/fhir-validate/fhir-validate.mjs');
const usCore = join(sharedDir, 'fhir-packages/hl7.fhir.us.core-3.1.1.tgz');
const available = existsSync(validator) && existsSync(usCore);

if (!available && process.env.CI !== 'true') {
  console.warn(
    `\n!!! SKIPPING US Core validation: ${validator} or ${usCore} not found. Set PATIENT_ACCESS_SHARED_DIR. !!!\n`,
  );
}

interface Report {
  file: string;
  issues: { severity: string; source: string; path: string; message: string }[];
}

describe('dataset validation', () => {
  test.skipIf(!available && process.env.CI !== 'true')(
    'passes the FHIR R4 and US Core 3.1.1 validator without errors',
    async () => {
      expect(available, `validator or US Core package missing under ${sharedDir}`).toBe(true);
      const dataset = generateDataset({ extraPatients: 2 });
      const resources = [
        ...dataset.shared,
        ...dataset.patientIds.flatMap((id) => dataset.record(id) ?? []),
      ];
      const dir = mkdtempSync(join(tmpdir(), 'dataset-validation-'));
      const file = join(dir, 'dataset.json');
      writeFileSync(file, JSON.stringify(resources));
      try {
        // The report goes to a file: the validator exits right after writing, which truncates a
        // large report sent through a pipe.
        const reportFile = join(dir, 'report.json');
        const out = openSync(reportFile, 'w');
        const exitCode = await new Promise<number | null>((done, fail) => {
          const child = spawn(process.execPath, [validator, '--ig-tgz', usCore, '--json', file], {
            stdio: ['ignore', out, 'ignore'],
          });
          child.on('error', fail);
          child.on('close', done);
        });
        closeSync(out);
        expect([0, 1], `validator exit code ${exitCode}`).toContain(exitCode);
        const stdout = readFileSync(reportFile, 'utf8');
        const reports = JSON.parse(stdout) as Report[];
        const errors = reports.flatMap((report) =>
          report.issues
            .filter((issue) => issue.severity === 'error' || issue.severity === 'fatal')
            .map((issue) => `${report.file} ${issue.path}: ${issue.message} [${issue.source}]`),
        );
        expect(reports).toHaveLength(resources.length);
        expect(errors.length, errors.slice(0, 50).join('\n')).toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
