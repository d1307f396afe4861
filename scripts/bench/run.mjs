// @ts-check
// `npm run bench`: the mock side by side with a bare Fastify route and with oauth2-mock-server,
// each server in its own process on 127.0.0.1, autocannon in its own process. Prints the table
// and the goals of issues 3 and 4, and rewrites the results section of docs/benchmarks.md.
//
// Options: --duration <s> per scenario (default 8), --warmup <s> (default 2), --codes <n>
// authorization codes for the token scenario (default 3000), --connections <n> (default 10),
// --rounds <n> slices per scenario (default 4), --read-path (only the baseline, the Patient read and the search page against their bare
// routes, and the RSS after that load: the quick loop while working on the read path; never
// writes), --no-write (print only), --reference <bin> (also measure the Patient read and the
// search page of another build's `packages/mock-server/dist/bin.js`, e.g. an older commit's in a
// git worktree, against the same bare routes: its own cost beside this build's).
// Last, when valgrind is installed, the Patient read and the search page are counted in
// instructions per request under callgrind beside their bare twins (`lib/instructions.mjs`):
// the own-cost goals are judged on that count, which the machine's load does not move.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { basicAuthorization } from '@patient-access/auth-core';
import { GUIDE_TEST_CLIENT } from '@patient-access/contract-tests';
import { MOCK_NODE_FLAGS } from '../../packages/mock-server/bin/node-flags.js';
import { coldStartMs, median } from './lib/cold-start.mjs';
import { runLoad } from './lib/load.mjs';
import { haveCallgrind, startCounted } from './lib/instructions.mjs';
import { mockArguments, startMockBin } from './lib/mock.mjs';
import {
  MOCK_BIN,
  cpuNanosOf,
  memoryOf,
  outputOf,
  spawnNode,
  stopChild,
  userNanosOf,
  waitForOutput,
} from './lib/processes.mjs';
import { machine, markdownTable, mb, rewriteSection } from './lib/report.mjs';
import { mintCodes, signIn } from './lib/sign-in.mjs';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '2' },
    codes: { type: 'string', default: '3000' },
    connections: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '4' },
    'read-path': { type: 'boolean', default: false },
    reference: { type: 'string' },
    write: { type: 'boolean', default: true },
  },
  allowNegative: true,
});
const duration = Number(values.duration);
const warmup = Number(values.warmup);
const codeCount = Number(values.codes);
const connections = Number(values.connections);
// Slices per scenario, alternating with the baseline.
const rounds = Number(values.rounds);

const child = (/** @type {string} */ name) =>
  fileURLToPath(new URL(`./children/${name}`, import.meta.url));
const REALM = '/auth/realms/nextgen';
const DISCOVERY = `${REALM}/.well-known/openid-configuration`;
const PATIENT = '/api/fhir/r4/Patient/428946492';
const OBSERVATIONS = '/api/fhir/r4/Observation?patient=428946492&category=vital-signs&_count=10';
const FORM = 'application/x-www-form-urlencoded';
const COLD_STARTS = 5;
// Codes must outlive the minting that precedes their exchange, the bearer token the whole run
// (the per-IP rate limits, which would throttle the load, are off unless asked for).
const BENCH_MOCK_CONFIG = {
  lifetimes: { code: 900, accessToken: 3600 },
};

/** @param {string} text */
const log = (text) => process.stderr.write(`${text}\n`);

/** @param {import('node:child_process').ChildProcess} child */
function pidOf(child) {
  if (child.pid === undefined) throw new Error('A child process did not start.');
  return child.pid;
}

/**
 * A server child, once it printed the URL it listens on.
 * @param {string} script
 * @param {string[]} args
 */
async function startChild(script, args) {
  const process = spawnNode(script, args);
  const [, url = ''] = await waitForOutput(process, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
  return { child: process, url: url.replace(/\/$/, '') };
}

/**
 * Several load slices as one result: 2xx/s over their total time, median p50, worst p99.
 * @param {import('./lib/load.mjs').LoadResult[]} slices
 */
function combine(slices) {
  const sum = (/** @type {'duration' | 'ok' | 'non2xx' | 'errors' | 'timeouts'} */ field) =>
    slices.reduce((total, slice) => total + slice[field], 0);
  const p50s = slices.map((slice) => slice.p50).sort((x, y) => x - y);
  const result = {
    duration: sum('duration'),
    ok: sum('ok'),
    non2xx: sum('non2xx'),
    errors: sum('errors') + sum('timeouts'),
    p50: p50s[Math.floor(p50s.length / 2)] ?? 0,
    p99: Math.max(...slices.map((slice) => slice.p99)),
  };
  return { ...result, rps: result.ok / result.duration };
}

/**
 * The mock's own cost per request in µs: how much longer than the bare route's a request takes,
 * `1e6 / rate - 1e6 / bareRate`. Unlike a ratio it does not shrink on a faster machine or a
 * larger response, where the bytes weigh more.
 * @param {number} rate
 * @param {number} bareRate
 */
const ownMicros = (rate, bareRate) => 1e6 / rate - 1e6 / bareRate;

/**
 * @typedef {object} Target
 * @property {import('./lib/load.mjs').LoadPlan} plan
 * @property {number} pid the server's process, whose CPU time a slice reads
 */

/**
 * One load slice on `target`, with the server's CPU time per completed request (µs).
 * @param {Target} target
 * @param {number} seconds
 */
async function timedSlice(target, seconds) {
  const [before, userBefore] = [await cpuNanosOf(target.pid), await userNanosOf(target.pid)];
  const result = await runLoad({ ...target.plan, connections, duration: seconds });
  const cpu = (await cpuNanosOf(target.pid)) - before;
  const user = (await userNanosOf(target.pid)) - userBefore;
  const requests = Math.max(result.total, 1);
  return { ...result, cpuMicros: cpu / 1000 / requests, userMicros: user / 1000 / requests };
}

/**
 * Measures `ours` and `versus` in alternating slices (versus, ours, ours, versus, ...), so that a
 * change in the machine's load from other processes weighs on both sides of the ratio alike.
 * `own` is the own cost over all slices, `ownByRound` that of each pair of slices, `ownCpu` the
 * difference of the servers' CPU time per request over all slices.
 * @param {string} name
 * @param {Target} ours
 * @param {Target} versus
 */
async function measurePaired(name, ours, versus) {
  log(`• ${name}`);
  if (warmup > 0) await runLoad({ ...ours.plan, connections, duration: warmup });
  /** @type {Array<Awaited<ReturnType<typeof timedSlice>>>} */
  const mine = [];
  /** @type {typeof mine} */
  const theirs = [];
  // The order alternates too (versus first, then ours first, ...): the second slice of a pair ran
  // measurably faster on the same server, which always favoured ours.
  for (let round = 0; round < rounds; round += 1) {
    if (round % 2 === 0) {
      theirs.push(await timedSlice(versus, duration / rounds));
      mine.push(await timedSlice(ours, duration / rounds));
    } else {
      mine.push(await timedSlice(ours, duration / rounds));
      theirs.push(await timedSlice(versus, duration / rounds));
    }
  }
  const result = combine(mine);
  const versusResult = combine(theirs);
  /**
   * @param {typeof mine} slices
   * @param {'cpuMicros' | 'userMicros'} [field]
   */
  const cpuPerRequest = (slices, field = 'cpuMicros') =>
    slices.reduce((sum, slice) => sum + slice[field] * slice.total, 0) /
    slices.reduce((sum, slice) => sum + slice.total, 0);
  return {
    name,
    ...result,
    versus: versusResult,
    theirs,
    own: ownMicros(result.rps, versusResult.rps),
    ownByRound: mine.map((slice, round) => ownMicros(slice.rps, theirs[round]?.rps ?? NaN)),
    ownCpu: cpuPerRequest(mine) - cpuPerRequest(theirs),
    versusUserMicros: cpuPerRequest(theirs, 'userMicros'),
  };
}

const ratioText = (/** @type {number} */ value) => `${(value * 100).toFixed(0)}%`;
const verdict = (/** @type {boolean} */ pass) => (pass ? 'PASS' : 'FAIL');

const started = performance.now();
const host = await machine();
log(`Machine: ${host.cpus}, Node ${host.node}, load ${host.load}`);

const mock = await startMockBin(BENCH_MOCK_CONFIG);
/**
 * The mock's RSS and heap after a forced full GC, both read by the probe at that moment (the RSS
 * was once read before the GC, which the table's "after GC" did not say).
 */
async function mockMemory() {
  const { rss, heapUsed } = await memoryOf(mock.child);
  return { rss, heap: heapUsed };
}
// V8 shrinks its young generation (up to 32 MB here) only once allocation has been low for some
// seconds: the RSS right after the load includes it, the RSS a little later no longer does.
const SETTLE_SECONDS = 10;
const idle = await mockMemory();
const tokens = await signIn(mock.url);
const bearer = { authorization: `Bearer ${tokens.accessToken}` };
const patientResponse = await fetch(`${mock.url}${PATIENT}`, { headers: bearer });
if (patientResponse.status !== 200) throw new Error(`Patient read: ${patientResponse.status}`);
const patientBytes = Buffer.from(await patientResponse.arrayBuffer());
const work = await mkdtemp(join(tmpdir(), 'patient-access-bench-'));
const patientFile = join(work, 'patient.json');
await writeFile(patientFile, patientBytes);
const contentType = patientResponse.headers.get('content-type') ?? 'application/fhir+json';

const baseline = await startChild(child('bare-fastify.mjs'), [patientFile, contentType, PATIENT]);

// Discovery (416 scopes) and a search page are many times the Patient's size, and writing bytes
// dominates their cost. Bare routes answering the very same bytes say how much of a gap is the
// mock's own work (informative rows; the goals stay against the Patient baseline).
/**
 * @param {string} path
 * @param {Record<string, string>} headers
 * @param {'string' | 'buffer'} kind how the mock sends this answer, so its twin sends it alike
 */
async function sameBytesBaseline(path, headers, kind) {
  const response = await fetch(`${mock.url}${path}`, { headers });
  if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
  const file = join(work, `${sameBytes.length}.json`);
  const body = Buffer.from(await response.arrayBuffer());
  await writeFile(file, body);
  const route = new URL(path, mock.url).pathname;
  const bare = await startChild(child('bare-fastify.mjs'), [
    file,
    response.headers.get('content-type') ?? 'application/json',
    route,
    '0',
    kind,
  ]);
  sameBytes.push(bare);
  return {
    target: { plan: { url: bare.url, path, headers }, pid: pidOf(bare.child) },
    kb: Math.round(body.length / 1024),
    args: [file, response.headers.get('content-type') ?? 'application/json', route, '0', kind],
  };
}
/** @type {Array<{ child: import('./lib/processes.mjs').Child, url: string }>} */
const sameBytes = [];
const readPathOnly = values['read-path'];
// The mock sends discovery as bytes it keeps encoded, a search page as a string (a fresh head
// before the kept page).
const observationsTwin = await sameBytesBaseline(OBSERVATIONS, bearer, 'string');
const discoveryTwin = readPathOnly ? undefined : await sameBytesBaseline(DISCOVERY, {}, 'buffer');
const peer = readPathOnly ? undefined : await startChild(child('oauth2-mock-server.mjs'), []);

// Another build of the mock (`--reference`), for its own cost beside this build's.
const reference = values.reference
  ? await startMockBin(BENCH_MOCK_CONFIG, values.reference)
  : undefined;
const referenceBearer = reference
  ? { authorization: `Bearer ${(await signIn(reference.url)).accessToken}` }
  : undefined;

const PATIENT_ROW = 'Mock: GET Patient/428946492 (bearer)';
/** @type {Target} */
const baseTarget = {
  plan: { url: baseline.url, path: PATIENT, headers: bearer },
  pid: pidOf(baseline.child),
};
/** @param {import('./lib/load.mjs').LoadPlan} plan @returns {Target} */
const onMock = (plan) => ({ plan, pid: pidOf(mock.child) });
/** @type {Array<Awaited<ReturnType<typeof measurePaired>> & { goal: number }>} */
const paired = [];
if (warmup > 0) await runLoad({ ...baseTarget.plan, connections, duration: warmup });
/** @type {Array<[string, import('./lib/load.mjs').LoadPlan, number]>} */
const againstBaseline = [
  ...(readPathOnly
    ? []
    : /** @type {Array<[string, import('./lib/load.mjs').LoadPlan, number]>} */ ([
        ['Mock: OIDC discovery', { url: mock.url, path: DISCOVERY }, 0.7],
        ['Mock: JWKS', { url: mock.url, path: `${REALM}/protocol/openid-connect/certs` }, 0.7],
      ])),
  [PATIENT_ROW, { url: mock.url, path: PATIENT, headers: bearer }, 0.7],
  [
    'Mock: Observation vital-signs search, _count=10',
    { url: mock.url, path: OBSERVATIONS, headers: bearer },
    0.5,
  ],
];
for (const [name, plan, goal] of againstBaseline) {
  paired.push({ ...(await measurePaired(name, onMock(plan), baseTarget)), goal });
}
const base = {
  name: 'Bare Fastify, same Patient JSON (baseline, all slices)',
  ...combine(paired.flatMap((row) => row.theirs)),
};
const searchTwin = await measurePaired(
  `Mock: Observation search, vs bare Fastify with the same ${observationsTwin.kb} KB page`,
  onMock({ url: mock.url, path: OBSERVATIONS, headers: bearer }),
  observationsTwin.target,
);
/** @param {string} path @returns {Target} */
const onReference = (path) => {
  if (!reference) throw new Error('No --reference build was started.');
  return {
    plan: { url: reference.url, path, headers: referenceBearer },
    pid: pidOf(reference.child),
  };
};
// Against the same bare routes as this build: the reference's search page may differ by a few
// bytes (data added since), which the own cost of a 10 KB page hardly sees.
const referenceRows = reference
  ? [
      await measurePaired(
        'Reference build: GET Patient/428946492 (bearer)',
        onReference(PATIENT),
        baseTarget,
      ),
      await measurePaired(
        `Reference build: Observation search, vs bare Fastify with the same ${observationsTwin.kb} KB page`,
        onReference(OBSERVATIONS),
        observationsTwin.target,
      ),
    ]
  : [];
// HAPI's result parameters against the plain page they reshape, both on the mock: the goal is
// no more than 20% added cost per request.
const RESULT_PARAMETER_GOAL = 1.2;
const resultParameterRows = [];
for (const suffix of ['_sort=-date', '_elements=code,valueQuantity']) {
  resultParameterRows.push(
    await measurePaired(
      `Mock: Observation vital-signs search with ${suffix}, vs the plain page`,
      onMock({ url: mock.url, path: `${OBSERVATIONS}&${suffix}`, headers: bearer }),
      onMock({ url: mock.url, path: OBSERVATIONS, headers: bearer }),
    ),
  );
}
const twins = [
  ...(discoveryTwin
    ? [
        await measurePaired(
          `Mock: OIDC discovery, vs bare Fastify with the same ${discoveryTwin.kb} KB (informative)`,
          onMock({ url: mock.url, path: DISCOVERY }),
          discoveryTwin.target,
        ),
      ]
    : []),
  searchTwin,
  ...resultParameterRows,
  ...referenceRows,
];
const patientRow = paired.find((row) => row.name === PATIENT_ROW);
if (!patientRow) throw new Error('The Patient read was not measured.');

/**
 * The code exchange against oauth2-mock-server, with the signing bound measured just before.
 * @param {{ url: string }} peer
 */
async function measureExchange(peer) {
  log(`• minting ${codeCount + 200} codes through authorize, login and selection`);
  const mintStarted = performance.now();
  const codes = await mintCodes(mock.url, codeCount + 200);
  const mintSeconds = (performance.now() - mintStarted) / 1000;
  /** @param {{ code: string, verifier: string }} minted */
  const exchangeBody = ({ code, verifier }) =>
    new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: GUIDE_TEST_CLIENT.redirectUri,
      code_verifier: verifier,
    }).toString();
  const tokenPlan = {
    url: mock.url,
    path: `${REALM}/protocol/openid-connect/token`,
    method: 'POST',
    headers: {
      'content-type': FORM,
      authorization: basicAuthorization(
        GUIDE_TEST_CLIENT.clientId,
        GUIDE_TEST_CLIENT.clientSecret ?? '',
      ),
    },
    connections,
  };
  const peerPlan = {
    url: peer.url,
    path: '/token',
    method: 'POST',
    headers: { 'content-type': FORM, authorization: basicAuthorization('bench', 'bench-secret') },
    body: 'grant_type=client_credentials&scope=openid',
    connections,
  };

  // The signing bound, the peer and the exchange are measured back to back, the peer on both
  // sides of the exchange, so that all three see the same machine.
  log('• RS256 signing throughput (jose, one worker thread per core)');
  /** @type {{ signaturesPerSecond: number, threads: number }} */
  const signing = JSON.parse(await outputOf(spawnNode(child('signing.mjs'), ['5'])));
  log('• oauth2-mock-server client_credentials and the mock’s authorization_code exchange');
  await runLoad({ ...peerPlan, duration: warmup || 1 });
  await runLoad({ ...tokenPlan, bodies: codes.slice(0, 200).map(exchangeBody) });
  const peerBefore = await runLoad({ ...peerPlan, duration: duration / 2 });
  const exchange = await runLoad({ ...tokenPlan, bodies: codes.slice(200).map(exchangeBody) });
  const peerAfter = await runLoad({ ...peerPlan, duration: duration / 2 });
  return {
    signing,
    twoSignatureBound: signing.signaturesPerSecond / 2,
    mintSeconds,
    exchange,
    peer: {
      name: 'oauth2-mock-server: client_credentials (1 signature)',
      ...combine([peerBefore, peerAfter]),
    },
  };
}
const codeExchange = peer ? await measureExchange(peer) : undefined;
const rows = [
  base,
  ...paired,
  ...twins,
  ...(codeExchange
    ? [
        codeExchange.peer,
        {
          name: `Mock: authorization_code + PKCE exchange (2 signatures, ${codeCount} codes)`,
          ...combine([codeExchange.exchange]),
        },
      ]
    : []),
];

const CCDA = '/api/ccda?patient=428946492';
const CCDA_SAMPLES = 21;
/**
 * `GET /api/ccda` for David, one request at a time: uncached, each with its own `date` (`le2100`,
 * `le2101`, ...: every one covers the whole record, and misses the document cache), then the
 * same URL again (cached). Medians in ms, after three uncached warm-up renders.
 */
async function measureCcda() {
  log('• C-CDA for David (sequential, uncached then cached)');
  const timed = async (/** @type {string} */ url) => {
    const start = performance.now();
    const response = await fetch(`${mock.url}${url}`, { headers: bearer });
    const bytes = (await response.arrayBuffer()).byteLength;
    if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
    return { ms: performance.now() - start, bytes };
  };
  for (let year = 2200; year < 2203; year += 1) await timed(`${CCDA}&date=le${year}`);
  const uncached = [];
  for (let n = 0; n < CCDA_SAMPLES; n += 1)
    uncached.push(await timed(`${CCDA}&date=le${2100 + n}`));
  const cached = [];
  for (let n = 0; n < CCDA_SAMPLES; n += 1) cached.push(await timed(`${CCDA}&date=le2100`));
  const middle = (/** @type {Array<{ ms: number }>} */ samples) =>
    median(samples.map((sample) => sample.ms)).median;
  return {
    uncached: middle(uncached),
    cached: middle(cached),
    kb: Math.round((uncached[0]?.bytes ?? 0) / 1024),
  };
}
const afterLoad = await mockMemory();
log(`• the mock idle for ${SETTLE_SECONDS} s`);
await sleep(SETTLE_SECONDS * 1000);
const settled = await mockMemory();
// After the memory rows: the kept documents (up to 32 of ~0.5 MB) are not the read path's memory.
const ccda = readPathOnly ? undefined : await measureCcda();

await Promise.all(
  [mock, baseline, ...(peer ? [peer] : []), ...(reference ? [reference] : []), ...sameBytes].map(
    (server) => stopChild(server.child),
  ),
);

/** Median cold starts of the bin and of a bare Fastify app, alternating. */
async function measureColdStarts() {
  log('• cold starts (median of 5 each, alternating, spawn to first 200)');
  const coldMock = () =>
    coldStartMs(MOCK_BIN, (port) => ['--port', String(port), '--log-level', 'silent'], DISCOVERY);
  const coldBare = () =>
    coldStartMs(
      child('bare-fastify.mjs'),
      (port) => [patientFile, 'application/json', DISCOVERY, String(port)],
      DISCOVERY,
    );
  const mockSamples = [];
  const bareSamples = [];
  for (let run = 0; run < COLD_STARTS; run += 1) {
    mockSamples.push(await coldMock());
    bareSamples.push(await coldBare());
  }
  return { mock: median(mockSamples), bare: median(bareSamples) };
}
const cold = readPathOnly ? undefined : await measureColdStarts();

/**
 * The Patient read and the search page counted in instructions per request under callgrind
 * (`lib/instructions.mjs`), beside the same bare routes; with `--reference`, that build's too.
 * Last, and each server in a process of its own: the counts do not depend on the load, and the
 * load of four servers under valgrind would weigh on every timed figure.
 */
async function measureInstructions() {
  if (!(await haveCallgrind())) {
    log('• instructions: valgrind is not installed (apt-get install valgrind), skipped');
    return undefined;
  }
  log('• instructions per request under callgrind (the mock, its bare twins, the reference)');
  const args = await mockArguments(BENCH_MOCK_CONFIG);
  const servers = await Promise.all([
    startCounted(MOCK_BIN, args, MOCK_NODE_FLAGS),
    startCounted(child('bare-fastify.mjs'), [patientFile, contentType, PATIENT]),
    startCounted(child('bare-fastify.mjs'), observationsTwin.args),
    ...(values.reference ? [startCounted(values.reference, args, MOCK_NODE_FLAGS)] : []),
  ]);
  const [ours, patientBare, searchBare, theirs] = servers;
  if (!ours || !patientBare || !searchBare) throw new Error('A counted server did not start.');
  /** @param {import('./lib/instructions.mjs').CountedServer} server */
  const bearerOf = async (server) => ({
    authorization: `Bearer ${(await signIn(server.url)).accessToken}`,
  });
  /**
   * @param {import('./lib/instructions.mjs').CountedServer} server
   * @param {Record<string, string>} headers
   */
  const readPath = async (server, headers) => ({
    patient: await server.perRequest(`${server.url}${PATIENT}`, headers),
    search: await server.perRequest(`${server.url}${OBSERVATIONS}`, headers),
  });
  try {
    const [ourBearer, theirBearer] = await Promise.all([
      bearerOf(ours),
      theirs ? bearerOf(theirs) : undefined,
    ]);
    // The twins get the mock's very request, bearer header included, as in the timed slices:
    // receiving a 1.4 KB header is about 8.5 k instructions of Node's and Fastify's, not the
    // mock's own (docs/benchmarks.md, fifth pass).
    const [mine, patient, search, reference] = await Promise.all([
      readPath(ours, ourBearer),
      patientBare.perRequest(`${patientBare.url}${PATIENT}`, ourBearer),
      searchBare.perRequest(`${searchBare.url}${OBSERVATIONS}`, ourBearer),
      theirs && theirBearer ? readPath(theirs, theirBearer) : undefined,
    ]);
    return { mine, bare: { patient, search }, reference };
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}
const instructions = await measureInstructions();

const failures = rows.filter((row) => row.non2xx + row.errors > 0);
/**
 * A paired row's ratio is to the baseline slices run alongside it; other rows use all of them.
 * @param {{ rps: number, versus?: { rps: number } }} row
 */
const ratioOf = (row) => row.rps / (row.versus ?? base).rps;
/** @param {number} micros */
const microsText = (micros) => `${micros.toFixed(1)} µs`;
/** @param {{ own: number, ownByRound: number[], ownCpu: number }} row */
const ownText = (row) =>
  `${microsText(row.own)} (slices ${Math.min(...row.ownByRound).toFixed(1)} to ${Math.max(...row.ownByRound).toFixed(1)}; CPU ${microsText(row.ownCpu)})`;
/**
 * An own cost counted in instructions, and in µs at the speed the bare route ran at in its own
 * timed slices (its user CPU time per request over its instructions per request): steady where
 * a rate is not, since only the conversion, not the difference, depends on the machine's load.
 * @param {number} mine the mock's instructions per request
 * @param {number} bare the bare route's
 * @param {number} bareUserMicros the bare route's user CPU µs per request in its slices
 */
function countedOwn(mine, bare, bareUserMicros) {
  const nsPerInstruction = (bareUserMicros * 1000) / bare;
  const own = mine - bare;
  return {
    mine,
    bare,
    own,
    share: own / bare,
    nsPerInstruction,
    micros: (own * nsPerInstruction) / 1000,
  };
}
const thousands = (/** @type {number} */ count) => `${(count / 1000).toFixed(1)} k`;
const patientCounted =
  instructions &&
  countedOwn(instructions.mine.patient, instructions.bare.patient, patientRow.versusUserMicros);
const searchCounted =
  instructions &&
  countedOwn(instructions.mine.search, instructions.bare.search, searchTwin.versusUserMicros);
/**
 * A goal's own cost: from instructions when they were counted, the rate's figure beside it.
 * @param {ReturnType<typeof countedOwn> | undefined} counted
 * @param {{ own: number, ownByRound: number[], ownCpu: number }} row
 */
const ownGoalText = (counted, row) =>
  counted
    ? `${microsText(counted.micros)} from ${thousands(counted.own)} own instructions (${ratioText(counted.share)} of the bare route's ${thousands(counted.bare)}, at ${counted.nsPerInstruction.toFixed(2)} ns each); by rate ${ownText(row)}`
    : ownText(row);
const PATIENT_OWN_GOAL = 4;
const SEARCH_OWN_GOAL = 8;
const RSS_GOAL_MB = 110;
const CCDA_RENDER_GOAL_MS = 50;
const goals = [
  ...paired.map((row) => ({
    goal: `${row.name} ≥ ${ratioText(row.goal)} of baseline`,
    measured: ratioText(ratioOf(row)),
    pass: ratioOf(row) >= row.goal,
  })),
  {
    goal: `GET Patient: the mock's own cost ≤ ${PATIENT_OWN_GOAL} µs per request (vs the baseline)`,
    measured: ownGoalText(patientCounted, patientRow),
    pass: (patientCounted?.micros ?? patientRow.own) <= PATIENT_OWN_GOAL,
  },
  {
    goal: `Search page: the mock's own cost ≤ ${SEARCH_OWN_GOAL} µs per request (vs the same ${observationsTwin.kb} KB)`,
    measured: ownGoalText(searchCounted, searchTwin),
    pass: (searchCounted?.micros ?? searchTwin.own) <= SEARCH_OWN_GOAL,
  },
  ...resultParameterRows.map((row) => ({
    goal: `${row.name}: ≤ ${ratioText(RESULT_PARAMETER_GOAL - 1)} added cost`,
    measured: `${ratioText(1 / ratioOf(row) - 1)} (own ${ownText(row)})`,
    pass: 1 / ratioOf(row) <= RESULT_PARAMETER_GOAL,
  })),
  {
    goal: `Mock RSS after the load (after GC; ${MOCK_NODE_FLAGS.join(' ')}, as npm start runs it) < ${RSS_GOAL_MB} MB`,
    measured: mb(afterLoad.rss),
    pass: afterLoad.rss < RSS_GOAL_MB * 1024 * 1024,
  },
  ...(codeExchange
    ? [
        {
          goal: 'Code exchange ≥ oauth2-mock-server client_credentials',
          measured: `${codeExchange.exchange.rps.toFixed(0)} vs ${codeExchange.peer.rps.toFixed(0)} req/s`,
          pass: codeExchange.exchange.rps >= codeExchange.peer.rps,
        },
        {
          goal: `Code exchange ≥ 70% of the two-signature bound (${codeExchange.twoSignatureBound.toFixed(0)}/s)`,
          measured: ratioText(codeExchange.exchange.rps / codeExchange.twoSignatureBound),
          pass: codeExchange.exchange.rps >= 0.7 * codeExchange.twoSignatureBound,
        },
      ]
    : []),
  ...(ccda
    ? [
        {
          goal: `C-CDA for David (${ccda.kb} KB): uncached render and send < ${CCDA_RENDER_GOAL_MS} ms (median)`,
          measured: `${ccda.uncached.toFixed(1)} ms (cached: ${ccda.cached.toFixed(1)} ms)`,
          pass: ccda.uncached < CCDA_RENDER_GOAL_MS,
        },
      ]
    : []),
  ...(cold
    ? [
        {
          goal: 'Cold start of the bin ≤ 1.25 × bare Fastify',
          measured: `${cold.mock.median.toFixed(0)} ms vs ${cold.bare.median.toFixed(0)} ms (${(cold.mock.median / cold.bare.median).toFixed(2)}×)`,
          pass: cold.mock.median <= 1.25 * cold.bare.median,
        },
      ]
    : []),
  {
    goal: 'No failed request in any scenario',
    measured: failures.length === 0 ? 'none' : failures.map((row) => row.name).join('; '),
    pass: failures.length === 0,
  },
];

const throughput = markdownTable(
  [
    'Scenario',
    'req/s',
    'p50 ms',
    'p99 ms',
    'vs baseline',
    'own µs/request',
    'own CPU µs/request',
    'non-2xx/errors',
  ],
  rows.map((row) => [
    row.name,
    row.rps.toFixed(0),
    row.p50,
    row.p99,
    ratioText(ratioOf(row)),
    'own' in row && typeof row.own === 'number' ? row.own.toFixed(1) : '—',
    'ownCpu' in row && typeof row.ownCpu === 'number' ? row.ownCpu.toFixed(1) : '—',
    `${row.non2xx}/${row.errors}`,
  ]),
);
const instructionTable =
  instructions && patientCounted && searchCounted
    ? markdownTable(
        [
          'Instructions per request (callgrind)',
          'Mock',
          'Bare twin',
          'Own',
          'Own µs at the twin’s speed',
          ...(instructions.reference ? ['Reference build', 'Reference own'] : []),
        ],
        [
          ['GET Patient/428946492 (bearer)', patientCounted, instructions.reference?.patient],
          [
            `Observation search page (${observationsTwin.kb} KB)`,
            searchCounted,
            instructions.reference?.search,
          ],
        ].map(([name, counted, reference]) => {
          const row = /** @type {ReturnType<typeof countedOwn>} */ (counted);
          const theirs = /** @type {number | undefined} */ (reference);
          return [
            /** @type {string} */ (name),
            thousands(row.mine),
            thousands(row.bare),
            `${thousands(row.own)} (${ratioText(row.share)})`,
            microsText(row.micros),
            ...(theirs === undefined ? [] : [thousands(theirs), thousands(theirs - row.bare)]),
          ];
        }),
      )
    : undefined;
const goalTable = markdownTable(
  ['Goal', 'Measured', 'Result'],
  goals.map((goal) => [goal.goal, goal.measured, verdict(goal.pass)]),
);
const other = markdownTable(
  ['Figure', 'Value'],
  [
    ...(codeExchange
      ? [
          [
            `RS256 signatures/s (jose, ${codeExchange.signing.threads} worker threads)`,
            codeExchange.signing.signaturesPerSecond.toFixed(0),
          ],
          ['Two-signature bound (signatures/s ÷ 2)', codeExchange.twoSignatureBound.toFixed(0)],
          [
            'Codes minted through the real screens',
            `${codeCount + 200} in ${codeExchange.mintSeconds.toFixed(1)} s`,
          ],
        ]
      : []),
    ...(cold
      ? [
          [
            'Cold start, mock bin (runs)',
            cold.mock.samples.map((ms) => ms.toFixed(0)).join(', ') + ' ms',
          ],
          [
            'Cold start, bare Fastify (runs)',
            cold.bare.samples.map((ms) => ms.toFixed(0)).join(', ') + ' ms',
          ],
        ]
      : []),
    ...referenceRows.map((row, index) => {
      const ours = index === 0 ? patientRow : searchTwin;
      return [
        `Own cost, this build vs the reference (${values.reference}): ${index === 0 ? 'GET Patient' : 'search page'}`,
        `${microsText(ours.own)} vs ${microsText(row.own)} (${ratioText(ours.own / row.own)}); CPU ${microsText(ours.ownCpu)} vs ${microsText(row.ownCpu)} (${ratioText(ours.ownCpu / row.ownCpu)})`,
      ];
    }),
    ['Mock RSS / heap used, idle (after GC)', `${mb(idle.rss)} / ${mb(idle.heap)}`],
    [
      'Mock RSS / heap used, after the load (after GC)',
      `${mb(afterLoad.rss)} / ${mb(afterLoad.heap)}`,
    ],
    [
      `Mock RSS / heap used, ${SETTLE_SECONDS} s after the load (after GC)`,
      `${mb(settled.rss)} / ${mb(settled.heap)}`,
    ],
  ],
);
const section = `Run on ${host.date}: ${host.cpus}, ${host.memory} RAM, Node ${host.node}, load average
at start ${host.load}. ${connections} connections. Each mock scenario gets a ${warmup} s warm-up, then
${duration} s in ${rounds} slices alternating with slices of the baseline (or of its bare twin, in
the order versus–mock, mock–versus, ...), and
its ratio and own cost (\`1e6/mock_rate − 1e6/bare_rate\`, µs per request) are to those slices
(the machine is shared, so its load drifts).${
  codeExchange
    ? ` The code exchange runs until its
${codeCount} codes are used up, between two ${duration / 2} s slices of oauth2-mock-server, right
after the signing bound is measured.`
    : ' Read path only (`--read-path`).'
} Whole run: ${((performance.now() - started) / 1000).toFixed(0)} s.

${throughput}
${
  instructionTable
    ? `
Counted with valgrind's callgrind (user-space instructions of every thread, JIT and GC included;
each server alone under valgrind after 30,000 warm-up requests, then batches of 4,000 until two
agree within 0.5 %). The µs column converts the own instructions at the bare twin's user CPU time
per instruction in its timed slices above, which moves with the machine's speed; the counts do not.

${instructionTable}
`
    : ''
}
${goalTable}

${other}`;

process.stdout.write(`\n${section}\n`);
if (values.write && !readPathOnly) {
  await rewriteSection('bench', section);
  log('\nWritten to docs/benchmarks.md.');
}
process.exitCode = goals.every((goal) => goal.pass) ? 0 : 1;
