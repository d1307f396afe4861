// @ts-check
// The benchmark's table, and the marked sections of docs/benchmarks.md that the bench and the
// soak rewrite.
import { readFile, writeFile } from 'node:fs/promises';
import { arch, availableParallelism, cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';

/** docs/benchmarks.md */
export const BENCHMARKS_DOC = fileURLToPath(
  new URL('../../../docs/benchmarks.md', import.meta.url),
);

/**
 * A megabyte figure with one decimal.
 * @param {number} bytes
 */
export const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** The machine a run measured, for the record. */
export async function machine() {
  const model =
    /^model name\s*:\s*(.+)$/m.exec(await readFile('/proc/cpuinfo', 'utf8').catch(() => ''))?.[1] ??
    cpus()[0]?.model ??
    'unknown';
  const load = await readFile('/proc/loadavg', 'utf8').catch(() => '');
  return {
    date: new Date().toISOString(),
    cpus: `${availableParallelism()} × ${model} (${arch()})`,
    memory: mb(totalmem()),
    node: process.version,
    load: load.split(' ').slice(0, 3).join(' '),
  };
}

/**
 * A Markdown table.
 * @param {string[]} header
 * @param {Array<Array<string | number>>} rows
 */
export function markdownTable(header, rows) {
  const line = (/** @type {Array<string | number>} */ cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/**
 * Replaces what lies between `<!-- name:start -->` and `<!-- name:end -->` in
 * docs/benchmarks.md with `content`.
 * @param {string} name
 * @param {string} content
 */
export async function rewriteSection(name, content) {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const text = await readFile(BENCHMARKS_DOC, 'utf8');
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from === -1 || to < from) {
    throw new Error(`${BENCHMARKS_DOC} has no ${start} ... ${end} section.`);
  }
  const updated = `${text.slice(0, from + start.length)}\n${content.trim()}\n${text.slice(to)}`;
  // Formatted as `npm run lint` checks it, so a recorded run never turns CI red.
  const options = { ...(await resolveConfig(BENCHMARKS_DOC)), filepath: BENCHMARKS_DOC };
  await writeFile(BENCHMARKS_DOC, await format(updated, options));
}
