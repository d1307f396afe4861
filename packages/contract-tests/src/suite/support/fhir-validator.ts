import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One file's verdict from the offline validator (`--json`). */
export interface ValidationResult {
  file: string;
  valid: boolean;
  issues: Array<{ severity: string; path?: string; message: string; profile?: string }>;
}

const repoRoot = fileURLToPath(new URL('../../../../../', import.meta.url));

/**
 * The team's shared folder (validator, FHIR packages): `PATIENT_ACCESS_SHARED_DIR`, or `../shared`
 * beside the repository.
 */
export function sharedDir(): string {
  return resolve(process.env.PATIENT_ACCESS_SHARED_DIR ?? join(repoRoot, '..', 'shared'));
}

/** The validator and the US Core 3.1.1 package, or why they cannot be used. */
export function locateValidator(): { script: string; usCore: string } | { missing: string } {
  const script = join(sharedDir(), 'tools', 'fhir-validate', 'fhir-validate.mjs');
  const usCore = join(sharedDir(), 'fhir-packages', 'hl7.fhir.us.core-3.1.1.tgz');
  for (const path of [script, usCore]) {
    if (!existsSync(path)) return { missing: path };
  }
  return { script, usCore };
}

/**
 * Validates many documents in one validator run (it loads US Core once, which is the slow part).
 * Resolves to one result per document, keyed by the name given.
 */
export async function validateResources(
  documents: ReadonlyMap<string, unknown>,
  validator: { script: string; usCore: string },
): Promise<Map<string, ValidationResult>> {
  const dir = await mkdtemp(join(tmpdir(), 'contract-fhir-'));
  try {
    const files = new Map<string, string>();
    for (const [name, document] of documents) {
      const file = join(dir, `${name.replace(/[^A-Za-z0-9-]/g, '_')}.json`);
      await writeFile(file, JSON.stringify(document));
      files.set(file, name);
    }
    const stdout = await new Promise<string>((resolveRun, reject) => {
      execFile(
        process.execPath,
        [validator.script, '--ig-tgz', validator.usCore, '--json', ...files.keys()],
        { maxBuffer: 64 * 1024 * 1024 },
        (error, out, err) => {
          // Exit 1 means "errors found" and still prints the JSON report; 2 is a usage/I/O problem.
          if (error && error.code !== 1)
            reject(new Error(`fhir-validate failed: ${err || error.message}`));
          else resolveRun(out);
        },
      );
    });
    const results = JSON.parse(stdout) as ValidationResult[];
    // Each result's `file` is the path followed by ` (Type/id)`.
    return new Map(
      results.map((result) => {
        const path = result.file.replace(/ \([^)]*\)$/, '');
        return [files.get(path) ?? result.file, result];
      }),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
