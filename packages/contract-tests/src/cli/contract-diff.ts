#!/usr/bin/env node
import { readFile } from 'node:fs/promises';
import { diffReports, formatDifferences } from '../report/diff.js';
import { parseReport } from '../report/report.js';

/**
 * `contract-diff A B`: prints how report B differs from report A and exits 1 when it does,
 * 0 when they agree, 2 on a usage or input problem.
 */
async function main(argv: readonly string[]): Promise<number> {
  const [pathA, pathB] = argv;
  if (argv.length !== 2 || !pathA || !pathB) {
    console.error('usage: contract-diff <report-A.json> <report-B.json>');
    return 2;
  }
  try {
    const a = parseReport(await readFile(pathA, 'utf8'), pathA);
    const b = parseReport(await readFile(pathB, 'utf8'), pathB);
    const differences = diffReports(a, b);
    process.stdout.write(
      formatDifferences(differences, { a: `${pathA}, ${a.target}`, b: `${pathB}, ${b.target}` }),
    );
    return differences.length === 0 ? 0 : 1;
  } catch (error) {
    console.error(`contract-diff: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
}

process.exitCode = await main(process.argv.slice(2));
