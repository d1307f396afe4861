// @ts-check
// Child processes of the benchmark and the soak: every server and load generator runs in its own
// process, so none of them steals the event loop of another, and each one's memory is its own.
import { execFileSync, spawn } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The mock's bin (the bundle `npm run build` leaves), as `npx patient-access-mock` runs it. */
export const MOCK_BIN = fileURLToPath(
  new URL('../../../packages/mock-server/dist/bin.js', import.meta.url),
);

const MEMORY_PROBE = fileURLToPath(new URL('./memory-probe.mjs', import.meta.url));

/**
 * A child of {@link spawnNode}: its stdout and stderr are always pipes.
 * @typedef {import('node:child_process').ChildProcessByStdio<null, import('node:stream').Readable, import('node:stream').Readable>} Child
 */

/**
 * Spawns `node <script> ...args`. With `probe`, the child preloads the memory probe and gets an
 * IPC channel, so {@link memoryOf} can ask it for `process.memoryUsage()` after a full GC.
 * @param {string} script
 * @param {string[]} args
 * @param {{ probe?: boolean, env?: NodeJS.ProcessEnv, nodeFlags?: readonly string[] }} [options]
 * @returns {Child}
 */
export function spawnNode(script, args, options = {}) {
  const execArgv = [
    ...(options.nodeFlags ?? []),
    ...(options.probe ? ['--expose-gc', '--import', MEMORY_PROBE] : []),
  ];
  const child = /** @type {Child} */ (
    spawn(process.execPath, [...execArgv, script, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...options.env },
      stdio: options.probe ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
    })
  );
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

// Children still running when this process exits (a failed run included) are killed with it, so
// no server is left listening.
/** @type {Set<Child>} */
const running = new Set();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Resolves to the first match of `pattern` in the child's stdout; rejects if the child exits or
 * `timeoutMs` passes first (with what it printed on stderr).
 * @param {Child} child
 * @param {RegExp} pattern
 * @param {number} [timeoutMs]
 * @returns {Promise<RegExpMatchArray>}
 */
export function waitForOutput(child, pattern, timeoutMs = 30_000) {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(
      () => finish(new Error(`No ${pattern} within ${timeoutMs} ms.`)),
      timeoutMs,
    );
    /** @param {string} chunk */
    const onOut = (chunk) => {
      out += chunk;
      const match = out.match(pattern);
      if (match) finish(undefined, match);
    };
    /** @param {string} chunk */
    const onErr = (chunk) => {
      err += chunk;
    };
    /** @param {number | null} code @param {NodeJS.Signals | null} signal */
    const onExit = (code, signal) =>
      finish(new Error(`Exited (${code ?? signal}) before printing ${pattern}: ${err.trim()}`));
    /** @param {Error | undefined} error @param {RegExpMatchArray} [match] */
    function finish(error, match) {
      clearTimeout(timer);
      child.stdout.off('data', onOut);
      child.stderr.off('data', onErr);
      child.off('exit', onExit);
      if (error || !match) reject(error);
      else resolve(match);
    }
    child.stdout.setEncoding('utf8').on('data', onOut);
    child.stderr.setEncoding('utf8').on('data', onErr);
    child.on('exit', onExit);
  });
}

/**
 * Collects a child's whole stdout and resolves when it exits with status 0.
 * @param {Child} child
 * @returns {Promise<string>}
 */
export async function outputOf(child) {
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (/** @type {string} */ chunk) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (/** @type {string} */ chunk) => (err += chunk));
  const [code, signal] = await once(child, 'exit');
  if (code !== 0) throw new Error(`Child failed (${code ?? signal}): ${err.trim()}`);
  return out;
}

/**
 * Stops a child with SIGTERM (SIGKILL after `graceMs`) and waits for it to exit.
 * @param {import('node:child_process').ChildProcess} child
 * @param {number} [graceMs]
 */
export async function stopChild(child, graceMs = 5_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * CPU time a process has run so far, in nanoseconds: the sum over its threads of the first field
 * of `/proc/<pid>/task/<tid>/schedstat` (Linux). Unlike a request rate, the CPU a server spends
 * per request hardly depends on what else the machine runs.
 * @param {number} pid
 */
export async function cpuNanosOf(pid) {
  const threads = await readdir(`/proc/${pid}/task`);
  const times = await Promise.all(
    threads.map((tid) =>
      readFile(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').then(
        (text) => Number(text.split(' ')[0]),
        // A thread that ended between the listing and the read.
        () => 0,
      ),
    ),
  );
  return times.reduce((sum, time) => sum + time, 0);
}

// Clock ticks per second of `/proc/<pid>/stat` (100 on Linux, asked once).
let clockTicks = 0;

/**
 * User-space CPU time a process (all its threads) has run so far, in nanoseconds, from the
 * `utime` field of `/proc/<pid>/stat` (Linux; in clock ticks, 10 ms each): what an instruction
 * count of the same server is set against (`lib/instructions.mjs`).
 * @param {number} pid
 */
export async function userNanosOf(pid) {
  clockTicks ||= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // After the command name in parentheses, which may itself hold spaces: field 3 onwards.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[14 - 3]) * 1e9) / clockTicks;
}

/**
 * `process.memoryUsage()` of a child spawned with `probe`, measured after a full GC so that
 * garbage does not pass for retained state.
 * @param {import('node:child_process').ChildProcess} child
 * @returns {Promise<NodeJS.MemoryUsage>}
 */
export function memoryOf(child) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('The memory probe did not answer.')), 10_000);
    child.once('message', (message) => {
      clearTimeout(timer);
      resolve(/** @type {NodeJS.MemoryUsage} */ (message));
    });
    child.send('memory');
  });
}

/** A port that was free a moment ago on 127.0.0.1. */
export async function freePort() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  server.close();
  await once(server, 'close');
  return port;
}
