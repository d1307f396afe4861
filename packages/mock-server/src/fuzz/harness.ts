import fc from 'fast-check';
import { expect } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { GUIDE_CLIENT } from '../../../../test-support/guide.js';

/**
 * Per-test timeout of a property test: thousands of requests take a few seconds alone, and more
 * on a CI machine that runs every test file at once.
 */
export const FUZZ_TIMEOUT_MS = 60_000;

/**
 * Runs a fast-check property with a replayable failure: the message names the seed and path, and
 * `FC_SEED` / `FC_PATH` in the environment replay exactly that case (`FC_RUNS` scales the number
 * of runs, e.g. `FC_RUNS=10` for a longer hunt).
 * @see https://fast-check.dev/docs/tutorials/quick-start/read-test-reports/
 */
export async function checkProperty<Ts extends [unknown, ...unknown[]]>(
  property: fc.IAsyncPropertyWithHooks<Ts>,
  numRuns: number,
): Promise<void> {
  const seed = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);
  const path = process.env.FC_PATH;
  const scale = Number(process.env.FC_RUNS ?? 1);
  const details = await fc.check(property, {
    numRuns: Math.max(1, Math.round(numRuns * scale)),
    ...(seed === undefined ? {} : { seed }),
    ...(path === undefined ? {} : { path, endOnFailure: true }),
  });
  if (!details.failed) return;
  const file = expect.getState().testPath ?? '<test file>';
  const replay = `FC_SEED=${details.seed} FC_PATH=${details.counterexamplePath ?? ''} npx vitest run ${file}`;
  const cause = details.errorInstance;
  const reason = cause instanceof Error ? cause.message : String(cause);
  throw new Error(
    `Property failed after ${details.numRuns} runs; replay with ${replay}\n` +
      `Counterexample: ${fc.stringify(details.counterexample)}\n${reason}`,
    { cause },
  );
}

/** Strings an attacker or a broken client sends: traversal, NULs, markup, huge, non-ASCII. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '..',
    '../../../../etc/passwd',
    '%00',
    '\u0000',
    '%2e%2e%2f',
    '%ZZ',
    '%',
    '<script>alert(1)</script>',
    '"><img src=x onerror=alert(1)>',
    "' OR '1'='1",
    '${jndi:ldap://127.0.0.1/a}',
    '__proto__',
    'constructor',
    'toString',
    '\u202etxt.exe',
    '💥🔥',
    'Ω≈ç√∫',
    '\r\nSet-Cookie: x=1',
    'null',
    'undefined',
    'NaN',
    '-1',
    '1e309',
    'x'.repeat(5_000),
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

/** A query string built from `names` and hostile values: repeated names, raw and encoded bytes. */
export function queryString(names: readonly string[]): fc.Arbitrary<string> {
  const pair = fc.tuple(
    fc.oneof(fc.constantFrom(...names), hostileText),
    fc.oneof(hostileText, fc.constant('')),
    fc.boolean(),
  );
  return fc
    .array(pair, { maxLength: 8 })
    .map((pairs) =>
      pairs
        .map(([name, value, raw]) =>
          raw
            ? `${rawQueryText(name)}=${rawQueryText(value)}`
            : `${encodeURIComponent(name)}=${encodeURIComponent(value)}`,
        )
        .join('&'),
    );
}

/** `text` with lone surrogates replaced by U+FFFD, so that it can be encoded and sent. */
export function wellFormed(text: string): string {
  return text.replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '\uFFFD',
  );
}

// A URL carries no raw space, `#` or control character; lone surrogates cannot be sent at all.
function rawQueryText(text: string): string {
  return wellFormed(text).replace(/[\s#\p{Cc}]/gu, (char) => encodeURIComponent(char));
}

/** A form-urlencoded body over `names`, with repeats and hostile values. */
export function formBody(names: readonly string[]): fc.Arbitrary<string> {
  return fc
    .array(fc.tuple(fc.oneof(fc.constantFrom(...names), hostileText), hostileText), {
      maxLength: 8,
    })
    .map((pairs) =>
      new URLSearchParams(
        pairs.map(([name, value]): [string, string] => [wellFormed(name), wellFormed(value)]),
      ).toString(),
    );
}

/** Every media type a client gets wrong, and the right one. */
export const contentType: fc.Arbitrary<string | undefined> = fc.constantFrom(
  undefined,
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=utf-8',
  'application/json',
  'text/plain',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/fhir+json',
  '*/*',
  'garbage',
  '',
);

/** A body of any shape: form, JSON, text, binary-ish, or none. */
export function anyBody(names: readonly string[]): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    fc.constant(undefined),
    formBody(names),
    fc.json({ maxDepth: 3 }),
    fc.dictionary(fc.constantFrom(...names), hostileText).map((value) => JSON.stringify(value)),
    hostileText.map(wellFormed),
  );
}

/** `Authorization` headers of every shape, `valid` ones included when given. */
export function authorizationHeader(
  valid: readonly string[] = [],
): fc.Arbitrary<string | undefined> {
  const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
  return fc.oneof(
    fc.constant(undefined),
    fc.constantFrom(
      '',
      'Bearer',
      'Bearer ',
      'bearer x',
      'Bearer a.b.c',
      'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
      'Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl',
      `Bearer ${'x'.repeat(8_000)}`,
      'Basic',
      'Basic !!!',
      `Basic ${b64(':')}`,
      `Basic ${b64('yourHealthFile:')}`,
      `Basic ${b64('yourHealthFile:wrong')}`,
      `Basic ${b64(`${GUIDE_CLIENT.clientId}:${GUIDE_CLIENT.clientSecret}`)}`,
      `Basic ${b64('%ZZ:%ZZ')}`,
      `Basic ${b64('patient-access-extension:x')}`,
      `Basic ${b64('ünïcødé:🔑')}`,
      'Negotiate abc',
      'Bearer a, Bearer b',
      ...valid,
    ),
    fc
      .tuple(fc.constantFrom('Bearer', 'Basic', 'DPoP', ''), hostileText)
      .map(([scheme, value]) => `${scheme} ${value}`.replace(/[^\t\x20-\x7e]/g, '')),
  );
}

/** A request for `app.inject`: method, path with query, headers and payload. */
export interface FuzzRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

/** Sends `request`; `inject` never throws for a well-formed request. */
export function send(app: FastifyInstance, request: FuzzRequest): Promise<LightMyRequestResponse> {
  return app.inject({
    method: request.method,
    url: request.url,
    headers: request.headers,
    ...(request.payload === undefined ? {} : { payload: request.payload }),
  });
}

/** Headers without the undefined ones. */
export function headers(entries: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(entries).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/**
 * The OAuth error shape: JSON `{ error, error_description }` with `Cache-Control: no-store`.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export function expectOAuthError(response: LightMyRequestResponse): void {
  expect(response.statusCode).toBeGreaterThanOrEqual(400);
  expect(response.statusCode).toBeLessThan(500);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  expect(response.headers['cache-control']).toContain('no-store');
  const body = response.json<Record<string, unknown>>();
  expect(typeof body.error).toBe('string');
  expect(typeof body.error_description).toBe('string');
}

/**
 * The FHIR error shape: an `OperationOutcome` as `application/fhir+json`.
 * @see https://hl7.org/fhir/R4/http.html#Status-Codes
 */
export function expectOperationOutcome(response: LightMyRequestResponse): void {
  expect(response.statusCode).toBeGreaterThanOrEqual(400);
  expect(response.statusCode).toBeLessThan(500);
  expect(response.headers['content-type']).toMatch(/^application\/fhir\+json/);
  const body = response.json<{ resourceType?: string; issue?: unknown[] }>();
  expect(body.resourceType).toBe('OperationOutcome');
  expect(body.issue?.length).toBeGreaterThan(0);
}

/** A hardened HTML page: CSP with `frame-ancestors 'none'`, no framing, no referrer. */
export function expectHardenedHtml(response: LightMyRequestResponse): void {
  expect(response.headers['content-type']).toMatch(/^text\/html/);
  expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(response.headers['x-frame-options']).toBe('DENY');
  expect(response.headers['referrer-policy']).toBe('no-referrer');
}

/** Entries this close to their expiry are left out of {@link identityState}: time expires them. */
const EXPIRY_MARGIN_MS = 5_000;

/**
 * What `/__admin/sessions` and `/__admin/tokens` list: the observable identity state, without the
 * entries that would expire on their own between two snapshots.
 */
export async function identityState(app: FastifyInstance): Promise<string> {
  const [clock, sessions, tokens] = await Promise.all([
    app.inject({ method: 'GET', url: '/__admin/clock' }),
    app.inject({ method: 'GET', url: '/__admin/sessions' }),
    app.inject({ method: 'GET', url: '/__admin/tokens' }),
  ]);
  const horizon = Date.parse(clock.json<{ now: string }>().now) + EXPIRY_MARGIN_MS;
  const lasting = (entry: { expiresAt: string }) => Date.parse(entry.expiresAt) > horizon;
  return JSON.stringify({
    sessions: sessions.json<{ sessions: { expiresAt: string }[] }>().sessions.filter(lasting),
    tokens: tokens.json<{ tokens: { expiresAt: string }[] }>().tokens.filter(lasting),
  });
}
