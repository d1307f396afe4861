import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedDir } from './fhir-validator.js';
import { runValidatorCommand } from './validator-command.js';

/**
 * The team's offline C-CDA R2.1 validator (`../shared/tools/ccda-validate`: the CDA R2 schema
 * with SDTC extensions and HL7's C-CDA R2.1 schematron), run as a command by the tests: a test
 * tool, never copied into the repository.
 */

/** One problem of the validator's `--json` report. */
export interface CcdaIssue {
  severity: string;
  source: string;
  conf?: string;
  message: string;
  line?: number;
  path?: string;
}

/** One validated document, with the name it was given. */
export interface CcdaValidationResult {
  name: string;
  valid: boolean;
  issues: CcdaIssue[];
}

/** The validator script, or the path that is missing. */
export function locateCcdaValidator(): { script: string } | { missing: string } {
  const script = join(sharedDir(), 'tools', 'ccda-validate', 'ccda-validate.mjs');
  return existsSync(script) ? { script } : { missing: script };
}

/**
 * Validates named C-CDA documents as Continuity of Care Documents (`--ccd`), in ONE run of the
 * validator: loading the schematron is its slow part.
 */
export async function validateCcdaDocuments(
  documents: ReadonlyMap<string, string>,
  script: string,
): Promise<CcdaValidationResult[]> {
  const dir = await mkdtemp(join(tmpdir(), 'ccda-validate-'));
  try {
    const names = new Map<string, string>();
    for (const [name, xml] of documents) {
      const file = join(dir, `${names.size}-${name.replace(/[^A-Za-z0-9-]/g, '_')}.xml`);
      await writeFile(file, xml);
      names.set(file, name);
    }
    const { report } = await runValidatorCommand(
      script,
      ['--ccd', '--json', ...names.keys()],
      join(dir, 'report.json'),
    );
    const results = JSON.parse(report) as { file: string; valid: boolean; issues: CcdaIssue[] }[];
    return results.map((result) => ({
      name: names.get(result.file) ?? result.file,
      valid: result.valid,
      issues: result.issues,
    }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The error-level issues of `results`, one readable line each. */
export function ccdaValidationErrors(results: readonly CcdaValidationResult[]): string[] {
  return results.flatMap((result) =>
    result.issues
      .filter((issue) => issue.severity === 'error')
      .map(
        (issue) =>
          `${result.name} ${issue.source}${issue.conf ? ` ${issue.conf}` : ''} at ${issue.path ?? '?'} (line ${issue.line ?? '?'}): ${issue.message}`,
      ),
  );
}
