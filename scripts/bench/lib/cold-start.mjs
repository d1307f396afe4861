// @ts-check
// Cold start: from spawn to the first 200 on a URL, polled every few milliseconds.
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, stopChild, spawnNode } from './processes.mjs';

const POLL_MS = 5;

/**
 * Milliseconds from spawning `node script ...args(port)` to its first 200 on `path`.
 * @param {string} script
 * @param {(port: number) => string[]} args
 * @param {string} path
 * @param {number} [timeoutMs]
 */
export async function coldStartMs(script, args, path, timeoutMs = 30_000) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}${path}`;
  const started = performance.now();
  const child = spawnNode(script, args(port));
  child.stdout.resume();
  child.stderr.resume();
  try {
    while (performance.now() - started < timeoutMs) {
      if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}.`);
      try {
        const response = await fetch(url);
        await response.arrayBuffer();
        if (response.status === 200) return performance.now() - started;
      } catch {
        // Not listening yet.
      }
      await sleep(POLL_MS);
    }
    throw new Error(`${url} did not answer 200 within ${timeoutMs} ms.`);
  } finally {
    await stopChild(child);
  }
}

/**
 * The median of `samples`, with the samples in the order they were taken.
 * @param {number[]} samples
 */
export function median(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = sorted[Math.floor(sorted.length / 2)];
  if (middle === undefined) throw new RangeError('No samples to take the median of.');
  return { median: middle, samples };
}
