// @ts-check
// Runs one load plan in the load-generator child (autocannon in its own process).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { outputOf, spawnNode } from './processes.mjs';

const LOAD_CHILD = fileURLToPath(new URL('../children/load.mjs', import.meta.url));

/**
 * @typedef {object} LoadPlan
 * @property {string} url origin of the server
 * @property {string} path
 * @property {string} [method]
 * @property {Record<string, string>} [headers]
 * @property {number} [duration] seconds (ignored with `bodies`)
 * @property {string[]} [bodies] one per request; the run ends when they are used up
 * @property {number} [connections]
 */

/**
 * @typedef {object} LoadResult
 * @property {number} duration seconds
 * @property {number} total completed requests
 * @property {number} ok 2xx responses
 * @property {number} non2xx
 * @property {number} errors
 * @property {number} timeouts
 * @property {number} p50 latency, ms
 * @property {number} p99 latency, ms
 * @property {number} rps 2xx responses per second
 */

/**
 * Runs `plan` in a fresh load-generator process.
 * @param {LoadPlan} plan
 * @returns {Promise<LoadResult>}
 */
export async function runLoad(plan) {
  const dir = await mkdtemp(join(tmpdir(), 'patient-access-load-'));
  const file = join(dir, 'plan.json');
  try {
    await writeFile(file, JSON.stringify(plan));
    const summary = JSON.parse(await outputOf(spawnNode(LOAD_CHILD, [file])));
    return { ...summary, rps: summary.ok / summary.duration };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
