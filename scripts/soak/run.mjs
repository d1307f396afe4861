// @ts-check
// `npm run soak`: many simulated apps against one running mock (the built bin, its own process,
// 127.0.0.1 only), each repeating complete sign-ins (authorize, login, selection, code exchange),
// record reads and refreshes. Every `--advance-every` seconds the apps pause at a cycle boundary
// and the mock's clock jumps past every code, access and refresh token lifetime, so expired state
// piles up unless the mock prunes it. Passes when no request failed and, once everything has
// expired and the pruner has run, the mock's heap is back to its baseline. Writes the figures into
// docs/benchmarks.md.
//
// Options: --seconds <n> (default 60), --apps <n> (default 50), --advance-every <s> (default 10),
// --reads <n> per token (default 3), --no-write.
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { mockProfile, refreshTokens } from '@patient-access/auth-core';
import { GUIDE_TEST_CLIENT } from '@patient-access/contract-tests';
import { startMockBin } from '../bench/lib/mock.mjs';
import { memoryOf, stopChild } from '../bench/lib/processes.mjs';
import { machine, markdownTable, mb, rewriteSection } from '../bench/lib/report.mjs';
import { signIn } from '../bench/lib/sign-in.mjs';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    apps: { type: 'string', default: '50' },
    'advance-every': { type: 'string', default: '10' },
    reads: { type: 'string', default: '3' },
    write: { type: 'boolean', default: true },
  },
  allowNegative: true,
});
const seconds = Number(values.seconds);
const appCount = Number(values.apps);
const advanceEvery = Number(values['advance-every']);
const readsPerToken = Number(values.reads);

// The bin's defaults, as a test suite gets them: the default lifetimes (code 60 s, access 300 s,
// refresh 1,800 s, SSO 10 h) are what expire, and the per-IP rate limits are off (opt-in), so
// every simulated app can share 127.0.0.1.
const SOAK_MOCK_CONFIG = {};
// Past the refresh token's 1,800 s, within the SSO session's 10 h.
const ADVANCE_SECONDS = 1_900;
// Past the offline token's 30 days: everything issued is expired.
const EXPIRE_ALL_SECONDS = 31 * 24 * 3600;
// A clock move through /__admin prunes at once; the periodic sweep (every 30 s) is the fallback.
const PRUNE_WAIT_MS = 35_000;
// Heap growth allowed after the soak: noise of V8's own caches, not retained state.
const HEAP_TOLERANCE = 1.1;

const ONLINE_SCOPE = 'openid fhirUser launch/patient patient/Patient.read patient/Observation.read';
const OFFLINE_SCOPE = `${ONLINE_SCOPE} offline_access`;
const log = (/** @type {string} */ text) => process.stderr.write(`${text}\n`);

const mock = await startMockBin(SOAK_MOCK_CONFIG);
const profile = mockProfile(mock.url);
const counts = { requests: 0, failed: 0, signIns: 0, reads: 0, refreshes: 0, advances: 0 };
/** @type {string[]} */
const failures = [];

/**
 * `fetch`, counting every request and every 5xx or transport failure.
 * @type {typeof fetch}
 */
const countingFetch = async (input, init) => {
  counts.requests += 1;
  try {
    const response = await fetch(input, init);
    if (response.status >= 500) counts.failed += 1;
    return response;
  } catch (error) {
    counts.failed += 1;
    throw error;
  }
};

/**
 * @param {string} path
 * @param {unknown} body
 */
async function admin(path, body) {
  const response = await fetch(`${mock.url}/__admin/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`/__admin/${path}: ${response.status}`);
}

/**
 * @param {string} accessToken
 * @param {string} path
 */
async function read(accessToken, path) {
  const response = await countingFetch(`${mock.url}/api/fhir/r4/${path}`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  const body = await response.text();
  if (response.status !== 200) {
    const reason = response.headers.get('www-authenticate') ?? body.slice(0, 200);
    throw new Error(`GET ${path.split('?')[0]}: ${response.status} ${reason}`);
  }
  counts.reads += 1;
}

/** @param {string} scope */
async function cycle(scope) {
  let tokens = await signIn(mock.url, { scope, fetch: countingFetch });
  counts.signIns += 1;
  for (let round = 0; round < 2; round += 1) {
    for (let index = 0; index < readsPerToken; index += 1) {
      await read(tokens.accessToken, `Patient/${tokens.patient}`);
      await read(tokens.accessToken, `Observation?patient=${tokens.patient}&category=vital-signs`);
    }
    if (round === 0) {
      if (tokens.refreshToken === undefined)
        throw new Error('The token response had no refresh token.');
      tokens = await refreshTokens({
        profile,
        client: GUIDE_TEST_CLIENT,
        refreshToken: tokens.refreshToken,
        fetch: countingFetch,
      });
      counts.refreshes += 1;
    }
  }
}

// The pause barrier: the driver moves the clock only while no app is between two steps of a
// flow, so a jump never lands between a code's issue and its exchange.
/** @type {{ promise: Promise<void>, resolve: () => void } | undefined} */
let pause;
let parked = 0;
let active = 0;
/**
 * @param {number} index
 * @param {number} deadline from `performance.now()`
 */
async function app(index, deadline) {
  const scope = index % 5 === 0 ? OFFLINE_SCOPE : ONLINE_SCOPE;
  active += 1;
  while (performance.now() < deadline) {
    if (pause) {
      parked += 1;
      await pause.promise;
      parked -= 1;
      continue;
    }
    try {
      await cycle(scope);
    } catch (error) {
      counts.failed += 1;
      if (failures.length < 10)
        failures.push(error instanceof Error ? error.message : String(error));
    }
  }
  active -= 1;
}

/** @param {number} seconds */
async function advanceClock(seconds) {
  pause = withResolvers();
  while (parked < active) await sleep(5);
  await admin('clock', { advanceSeconds: seconds });
  counts.advances += 1;
  const { resolve } = pause;
  pause = undefined;
  resolve();
}

// Promise.withResolvers() is Node 22's.
function withResolvers() {
  /** @type {() => void} */
  let resolve = () => undefined;
  /** @type {Promise<void>} */
  const promise = new Promise((settle) => (resolve = settle));
  return { promise, resolve };
}

async function settledMemory() {
  // Both read by the probe right after its full GC.
  const usage = await memoryOf(mock.child);
  return { rss: usage.rss, heap: usage.heapUsed };
}

// Warm-up: load the key, the dataset and the JIT, then let everything expire and be pruned, so
// the baseline is the state the mock should return to.
log(`Warm-up, then ${appCount} apps for ${seconds} s against ${mock.url}`);
await Promise.all(
  Array.from({ length: Math.min(appCount, 10) }, (_, index) =>
    app(index, performance.now() + 3_000),
  ),
);
await admin('clock', { advanceSeconds: EXPIRE_ALL_SECONDS });
await sleep(1_000);
const baseline = await settledMemory();
log(`Baseline: RSS ${mb(baseline.rss)}, heap ${mb(baseline.heap)}`);
Object.assign(counts, { requests: 0, signIns: 0, reads: 0, refreshes: 0 });

const started = performance.now();
const deadline = started + seconds * 1000;
let peak = baseline;
const ticker = setInterval(() => {
  void settledMemory()
    .catch(() => peak)
    .then((now) => {
      if (now.heap > peak.heap) peak = now;
    });
}, 5_000);
const clockMover = (async () => {
  while (performance.now() + advanceEvery * 1000 < deadline) {
    await sleep(advanceEvery * 1000);
    await advanceClock(ADVANCE_SECONDS);
    log(
      `  ${((performance.now() - started) / 1000).toFixed(0)} s: ${counts.signIns} sign-ins, ${counts.requests} requests, ${counts.failed} failed`,
    );
  }
})();
await Promise.all(Array.from({ length: appCount }, (_, index) => app(index, deadline)));
await clockMover;
clearInterval(ticker);
const elapsed = (performance.now() - started) / 1000;
const loaded = await settledMemory();

await admin('clock', { advanceSeconds: EXPIRE_ALL_SECONDS });
const waitStarted = performance.now();
let final = await settledMemory();
while (
  final.heap > baseline.heap * HEAP_TOLERANCE &&
  performance.now() - waitStarted < PRUNE_WAIT_MS
) {
  await sleep(5_000);
  final = await settledMemory();
}
await stopChild(mock.child);

const heapBack = final.heap <= baseline.heap * HEAP_TOLERANCE;
const pass = counts.failed === 0 && heapBack;
const host = await machine();
const section = `Run on ${host.date}: ${host.cpus}, Node ${host.node}, load average at the end
${host.load}. ${appCount} simulated apps for ${elapsed.toFixed(0)} s; each repeats a complete
sign-in (authorize, login, selection, code exchange with PKCE), ${readsPerToken * 2} FHIR reads, a
refresh and ${readsPerToken * 2} more reads (every fifth app asks for \`offline_access\`). Every
${advanceEvery} s the apps pause and the mock's clock jumps ${ADVANCE_SECONDS} s, past every code,
access and refresh token lifetime; at the end it jumps 31 days, past offline tokens too.

${markdownTable(
  ['Figure', 'Value'],
  [
    ['Complete sign-ins', counts.signIns],
    ['FHIR reads', counts.reads],
    ['Refreshes', counts.refreshes],
    [
      'HTTP requests (all steps)',
      `${counts.requests} (${(counts.requests / elapsed).toFixed(0)}/s)`,
    ],
    ['Clock jumps during the run', counts.advances],
    ['Failed requests', counts.failed],
    [
      'Mock RSS / heap, baseline (after warm-up, expiry and pruning)',
      `${mb(baseline.rss)} / ${mb(baseline.heap)}`,
    ],
    ['Mock RSS / heap, highest sample during the run', `${mb(peak.rss)} / ${mb(peak.heap)}`],
    ['Mock RSS / heap, right after the run', `${mb(loaded.rss)} / ${mb(loaded.heap)}`],
    ['Mock RSS / heap, after expiry and pruning', `${mb(final.rss)} / ${mb(final.heap)}`],
    ['Heap back to baseline (≤ 110%)', heapBack ? 'yes' : 'no'],
    ['Result', pass ? 'PASS' : 'FAIL'],
  ],
)}
${failures.length ? `\nFirst failures:\n${failures.map((message) => `- ${message}`).join('\n')}\n` : ''}
Heap figures are \`heapUsed\` after a forced full GC in the mock (preloaded probe); RSS includes
memory V8 keeps reserved after a peak.`;
process.stdout.write(`\n${section}\n`);
if (values.write) {
  await rewriteSection('soak', section);
  log('\nWritten to docs/benchmarks.md.');
}
process.exitCode = pass ? 0 : 1;
