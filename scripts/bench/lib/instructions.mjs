// @ts-check
// The servers' own work counted in instructions instead of seconds: each server runs under
// valgrind's callgrind, which counts the user-space instructions of every thread of the process
// (JIT code, V8, Node, libuv, the GC), whatever else the machine runs. On this shared two-core
// machine a request rate moves by 5 to 35 µs between slices of the same build; the count of the
// same build moves by a few tenths of a percent once its JIT has settled.
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT, stopChild, waitForOutput } from './processes.mjs';

const run = promisify(execFile);

/** Whether valgrind (Debian's package `valgrind`, with `callgrind_control`) is installed. */
export async function haveCallgrind() {
  try {
    await run('callgrind_control', ['--version']);
    await run('valgrind', ['--version']);
    return true;
  } catch {
    return false;
  }
}

/**
 * Exactly `count` GETs of `url`, four keep-alive connections at a time, every answer read to
 * its end. Rejects on a non-2xx answer: a count of refused requests would measure the refusal.
 * @param {string} url
 * @param {number} count
 * @param {Record<string, string>} [headers]
 */
export async function getRepeatedly(url, count, headers = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  let started = 0;
  const worker = async () => {
    while (started < count) {
      started += 1;
      await new Promise((resolve, reject) => {
        http
          .get(url, { agent, headers }, (response) => {
            response.resume();
            response.once('end', () =>
              (response.statusCode ?? 0) < 300
                ? resolve(undefined)
                : reject(new Error(`${url}: ${response.statusCode}`)),
            );
          })
          .once('error', reject);
      });
    }
  };
  try {
    await Promise.all([worker(), worker(), worker(), worker()]);
  } finally {
    agent.destroy();
  }
}

/**
 * A server under callgrind.
 * @typedef {object} CountedServer
 * @property {string} url
 * @property {(url: string, headers?: Record<string, string>) => Promise<number>} perRequest
 *   instructions per request of `url`, once the count has settled
 * @property {() => Promise<void>} stop
 */

/**
 * Starts `node <nodeFlags> <script> <args>` under callgrind; resolves once it printed the URL
 * it listens on (start-up takes 15 to 60 s there: everything runs about 20 times slower).
 * @param {string} script
 * @param {string[]} args
 * @param {readonly string[]} [nodeFlags]
 * @returns {Promise<CountedServer>}
 */
export async function startCounted(script, args, nodeFlags = []) {
  const dir = await mkdtemp(join(tmpdir(), 'patient-access-callgrind-'));
  const child = spawn(
    'valgrind',
    [
      '--tool=callgrind',
      `--callgrind-out-file=${join(dir, 'callgrind.out')}`,
      process.execPath,
      ...nodeFlags,
      script,
      ...args,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  counted.add(child);
  child.once('exit', () => counted.delete(child));
  const [, url = ''] = await waitForOutput(
    child,
    /listening on (http:\/\/127\.0\.0\.1:\d+)/,
    300_000,
  );
  // Drained from now on, so that nothing the server prints can fill a pipe and stall it.
  child.stdout.resume();
  child.stderr.resume();
  const pid = String(child.pid);
  let dumps = 0;
  // Instructions since the counters were last zeroed, from the dump callgrind writes on request.
  const countOf = async () => {
    await run('callgrind_control', ['--dump', pid]);
    dumps += 1;
    const name = `callgrind.out.${dumps}`;
    // callgrind writes the dump on its own schedule after acknowledging the request.
    for (let attempt = 0; attempt < 100; attempt += 1) {
      if ((await readdir(dir)).includes(name)) {
        const summary = /^summary: (\d+)$/m.exec(await readFile(join(dir, name), 'utf8'));
        if (summary?.[1]) return Number(summary[1]);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`callgrind wrote no ${name}`);
  };
  return {
    url: url.replace(/\/$/, ''),
    async perRequest(target, headers = {}) {
      // V8 compiles the hot path on background threads, which valgrind runs one at a time: the
      // count falls for tens of thousands of requests before it settles. Batches of 4,000 until
      // two in a row agree within 0.5 %.
      await getRepeatedly(target, WARM_UP, headers);
      let previous = Infinity;
      for (let batch = 0; batch < MAX_BATCHES; batch += 1) {
        await run('callgrind_control', ['--zero', pid]);
        await getRepeatedly(target, BATCH, headers);
        const current = (await countOf()) / BATCH;
        if (Math.abs(current - previous) <= current * 0.005) return current;
        previous = current;
      }
      // Never steady within the batches: the last count, the one nearest to the settled value.
      return previous;
    },
    stop: () => stopChild(child),
  };
}

// Servers still counting when the bench exits (a failed run included) end with it.
/** @type {Set<import('node:child_process').ChildProcess>} */
const counted = new Set();
process.once('exit', () => {
  for (const child of counted) child.kill('SIGKILL');
});

const WARM_UP = 30_000;
const BATCH = 4_000;
const MAX_BATCHES = 10;
