import { readFile } from 'node:fs/promises';
import { diffReports, formatDifferences } from './diff.js';
import { parseReport } from './report.js';

/** Where {@link contractDiffCommand} writes. */
export interface CommandOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

/**
 * `contract-diff A B`: prints how report B differs from report A. Resolves to the exit code:
 * 0 when they agree, 1 when they differ, 2 on a usage or input problem.
 */
export async function contractDiffCommand(
  argv: readonly string[],
  output: CommandOutput,
): Promise<0 | 1 | 2> {
  const [pathA, pathB] = argv;
  if (argv.length !== 2 || !pathA || !pathB) {
    output.stderr('usage: contract-diff <report-A.json> <report-B.json>\n');
    return 2;
  }
  try {
    const a = parseReport(await readFile(pathA, 'utf8'), pathA);
    const b = parseReport(await readFile(pathB, 'utf8'), pathB);
    const differences = diffReports(a, b);
    output.stdout(
      formatDifferences(differences, { a: `${pathA}, ${a.target}`, b: `${pathB}, ${b.target}` }),
    );
    return differences.length === 0 ? 0 : 1;
  } catch (error) {
    output.stderr(`contract-diff: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
}
