import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runValidatorCommand } from './validator-command.js';

/**
 * The team's offline FHIR / US Core validator (`../shared/tools/fhir-validate`), run as a command
 * by every package's tests: it is a test tool, never copied into the repository.
 */

/** One issue of the validator's `--json` report. */
export interface ValidationIssue {
  severity: string;
  source?: string;
  path?: string;
  message: string;
  profile?: string;
}

/** One validated resource or Bundle, with the name its document was given. */
export interface ValidationResult {
  name: string;
  file: string;
  valid: boolean;
  issues: ValidationIssue[];
}

/** The validator script and the official US Core 3.1.1 package. */
export interface Validator {
  script: string;
  usCore: string;
}

const repoRoot = fileURLToPath(new URL('../', import.meta.url));

/** The shared folder: `PATIENT_ACCESS_SHARED_DIR`, or `../shared` beside the repository (CI's copy). */
export function sharedDir(): string {
  return resolve(process.env.PATIENT_ACCESS_SHARED_DIR ?? join(repoRoot, '..', 'shared'));
}

/** The validator and the US Core 3.1.1 package, or the first path that is missing. */
export function locateValidator(): Validator | { missing: string } {
  const script = join(sharedDir(), 'tools', 'fhir-validate', 'fhir-validate.mjs');
  const usCore = join(sharedDir(), 'fhir-packages', 'hl7.fhir.us.core-3.1.1.tgz');
  for (const path of [script, usCore]) if (!existsSync(path)) return { missing: path };
  return { script, usCore };
}

/**
 * Validates named documents (a resource, a Bundle, or an array of resources each) against base R4
 * and the US Core 3.1.1 profiles they declare, in ONE validator run: loading US Core is the slow
 * part. A Bundle gives one result, an array one per resource.
 */
export async function validateDocuments(
  documents: ReadonlyMap<string, unknown>,
  validator: Validator,
): Promise<ValidationResult[]> {
  const dir = await mkdtemp(join(tmpdir(), 'fhir-validate-'));
  try {
    const names = new Map<string, string>();
    for (const [name, document] of documents) {
      const file = join(dir, `${names.size}-${name.replace(/[^A-Za-z0-9-]/g, '_')}.json`);
      await writeFile(file, JSON.stringify(document));
      names.set(file, name);
    }
    const { report: text } = await runValidatorCommand(
      validator.script,
      ['--ig-tgz', validator.usCore, '--json', ...names.keys()],
      join(dir, 'report.json'),
    );
    const report = JSON.parse(text) as Omit<ValidationResult, 'name'>[];
    // Each result's `file` is the path, then ` (Type/id)`.
    return report.map((result) => {
      const path = result.file.replace(/ \([^)]*\)$/, '');
      return { ...result, name: names.get(path) ?? result.file };
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The error-level issues of `results`, one readable line each. */
export function validationErrors(results: readonly ValidationResult[]): string[] {
  return results.flatMap((result) =>
    result.issues
      .filter((issue) => issue.severity === 'error' || issue.severity === 'fatal')
      .map(
        (issue) =>
          `${result.name} ${result.file.replace(/^.* \(/, '(')} ${issue.path ?? ''}: ${issue.message}${issue.source ? ` [${issue.source}]` : ''}`,
      ),
  );
}
