// @ts-check
// The load generator, in its own process: runs autocannon with the plan in the JSON file named by
// argv[2] and prints a one-line JSON summary. A plan's `bodies`, when present, are sent one per
// request, in order (single-use authorization codes), and the run stops when they are used up.
import { readFile } from 'node:fs/promises';
import autocannon from 'autocannon';

const planFile = process.argv[2];
if (planFile === undefined) throw new Error('Usage: load.mjs <plan.json>');
/** @type {import('../lib/load.mjs').LoadPlan & { body?: string }} */
const plan = JSON.parse(await readFile(planFile, 'utf8'));
const { bodies } = plan;
let next = 0;
/** @type {import('autocannon').Request} */
const request = {
  method: /** @type {import('autocannon').Request['method']} */ (plan.method ?? 'GET'),
  path: plan.path,
  headers: plan.headers ?? {},
  ...(plan.body === undefined ? {} : { body: plan.body }),
  ...(bodies
    ? {
        setupRequest: (req) => {
          const body = bodies[next];
          next += 1;
          return { ...req, ...(body === undefined ? {} : { body }) };
        },
      }
    : {}),
};
const result = await autocannon({
  url: plan.url,
  connections: plan.connections ?? 10,
  // autocannon notices the end of an `amount` run only at its next sample tick (1 s by default),
  // which would count up to a second of idleness into the run's duration.
  ...(bodies ? { amount: bodies.length, sampleInt: 10 } : { duration: plan.duration }),
  requests: [request],
  timeout: 10,
});
process.stdout.write(
  `${JSON.stringify({
    duration: result.duration,
    total: result.requests.total,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    p50: result.latency.p50,
    p99: result.latency.p99,
  })}\n`,
);
