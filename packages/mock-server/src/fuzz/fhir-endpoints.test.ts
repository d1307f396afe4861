import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import {
  anyBody,
  authorizationHeader,
  checkProperty,
  FUZZ_TIMEOUT_MS,
  contentType,
  expectOAuthError,
  expectOperationOutcome,
  headers,
  hostileText,
  queryString,
  send,
  wellFormed,
} from './harness.js';
import { RESOURCE_DEFINITIONS } from '../fhir/search-parameters.js';
import { signIn, testApp } from '../test-support/identity-flow.js';

const FHIR = '/api/fhir/r4';
const DAVID = '428946492';
const TYPES = [...RESOURCE_DEFINITIONS.keys()];
const SEARCH_PARAMS = [
  ...new Set(
    [...RESOURCE_DEFINITIONS.values()].flatMap((definition) => [...definition.params.keys()]),
  ),
  '_count',
  '_id',
  '_include',
  '_revinclude',
  '_sort',
  '_format',
  '_summary',
  '_elements',
  '_getpages',
  '_getpagesoffset',
];

let app: FastifyInstance;
let bearer: string;

beforeAll(async () => {
  ({ app } = await testApp({ rateLimit: { loginPerMinute: 0, tokenPerMinute: 0 } }));
  const { tokens } = await signIn(app, {
    params: { scope: 'openid fhirUser launch/patient patient/*.read' },
  });
  bearer = `Bearer ${tokens.access_token as string}`;
});
afterAll(() => app.close());

/** A path segment: a real type or id, or something hostile, encoded or raw. */
const segment = (real: readonly string[]) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...real) },
    { weight: 2, arbitrary: hostileText.map((text) => encodeURIComponent(wellFormed(text))) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('..', '.', '%2e%2e', '%00', '%2F', 'a%2Fb', '%', '%ZZ', '~', '*'),
    },
  );

/**
 * Any FHIR answer: success in FHIR JSON, or an OperationOutcome with a 4xx status. `inject`
 * resolves `..` segments as a browser would, so a path that climbs out of the FHIR base gets the
 * identity side's JSON 404 instead.
 */
function expectFhirAnswer(response: LightMyRequestResponse, url: string): void {
  expect(response.statusCode).toBeLessThan(500);
  const path = new URL(url, 'http://localhost').pathname;
  if (path !== FHIR && !path.startsWith(`${FHIR}/`)) {
    expectOAuthError(response);
    return;
  }
  if (response.statusCode >= 400) expectOperationOutcome(response);
  else expect(response.headers['content-type']).toMatch(/^application\/(fhir\+)?json/);
}

describe('FHIR reads under fuzzed input', () => {
  test(
    'answer a resource of the token patient or an OperationOutcome',
    async () => {
      const request = fc.record({
        type: segment(TYPES),
        id: segment([DAVID, '428946523', '1673497', 'x']),
        query: queryString(['_format', '_summary', '_elements']),
      });
      await checkProperty(
        fc.asyncProperty(request, async ({ type, id, query }) => {
          const url = `${FHIR}/${type}/${id}${query ? `?${query}` : ''}`;
          const response = await send(app, {
            method: 'GET',
            url,
            headers: { authorization: bearer },
          });
          expectFhirAnswer(response, url);
          if (response.statusCode === 200 && type === 'Patient') {
            expect(response.json<{ id: string }>().id).toBe(DAVID);
          }
        }),
        500,
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

describe('FHIR searches under fuzzed input', () => {
  test(
    'answer a searchset Bundle or an OperationOutcome, by GET and by POST',
    async () => {
      const request = fc.record({
        type: segment(TYPES),
        query: queryString(SEARCH_PARAMS),
        post: fc.boolean(),
        type_: contentType,
        body: anyBody(SEARCH_PARAMS),
      });
      await checkProperty(
        fc.asyncProperty(request, async ({ type, query, post, type_, body }) => {
          const url = `${FHIR}/${type}${post ? '/_search' : ''}${query ? `?${query}` : ''}`;
          const response = await send(app, {
            method: post ? 'POST' : 'GET',
            url,
            headers: headers({ authorization: bearer, 'content-type': post ? type_ : undefined }),
            ...(post && body !== undefined ? { payload: body } : {}),
          });
          expectFhirAnswer(response, url);
          if (response.statusCode === 200) {
            const bundle = response.json<{ resourceType: string; type: string }>();
            expect(bundle.resourceType).toBe('Bundle');
            expect(bundle.type).toBe('searchset');
          }
        }),
        500,
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  test(
    'answer hostile paging links with an OperationOutcome',
    async () => {
      const request = fc.record({
        pages: hostileText,
        offset: hostileText,
        count: hostileText,
      });
      await checkProperty(
        fc.asyncProperty(request, async ({ pages, offset, count }) => {
          const query = new URLSearchParams({
            _getpages: wellFormed(pages),
            _getpagesoffset: wellFormed(offset),
            _count: wellFormed(count),
          });
          const url = `${FHIR}?${query}`;
          const response = await send(app, {
            method: 'GET',
            url,
            headers: { authorization: bearer },
          });
          expectFhirAnswer(response, url);
        }),
        300,
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

describe('FHIR authorization under fuzzed headers', () => {
  test(
    'answers 401 with a Bearer challenge for every Authorization header but the real one',
    async () => {
      const request = fc.record({
        header: authorizationHeader(),
        path: fc.constantFrom(
          `Patient/${DAVID}`,
          `Observation?patient=${DAVID}`,
          'Person/x',
          'Binary/x',
        ),
      });
      await checkProperty(
        fc.asyncProperty(request, async ({ header, path }) => {
          const response = await send(app, {
            method: 'GET',
            url: `${FHIR}/${path}`,
            headers: headers({ authorization: header }),
          });
          expect(response.statusCode).toBe(401);
          expectOperationOutcome(response);
          expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
        }),
        400,
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

describe('FHIR writes and unknown paths under fuzzed input', () => {
  test(
    'answer every write with an OperationOutcome and change no resource',
    async () => {
      const before = await send(app, {
        method: 'GET',
        url: `${FHIR}/Patient/${DAVID}`,
        headers: { authorization: bearer },
      });
      const request = fc.record({
        method: fc.constantFrom(
          'POST' as const,
          'PUT' as const,
          'PATCH' as const,
          'DELETE' as const,
        ),
        path: fc.array(segment([...TYPES, DAVID]), { minLength: 1, maxLength: 4 }),
        type_: contentType,
        body: anyBody(['resourceType', 'id', 'name']),
        header: fc.constantFrom(bearer, undefined),
      });
      await checkProperty(
        fc.asyncProperty(request, async ({ method, path, type_, body, header }) => {
          const url = `${FHIR}/${path.join('/')}`;
          const response = await send(app, {
            method,
            url,
            headers: headers({ authorization: header, 'content-type': type_ }),
            ...(body === undefined ? {} : { payload: body }),
          });
          expectFhirAnswer(response, url);
          if (method !== 'POST' || !path.at(-1)?.startsWith('_search')) {
            expect(response.statusCode).toBeGreaterThanOrEqual(400);
          }
        }),
        400,
      );
      const after = await send(app, {
        method: 'GET',
        url: `${FHIR}/Patient/${DAVID}`,
        headers: { authorization: bearer },
      });
      expect(after.body).toBe(before.body);
    },
    FUZZ_TIMEOUT_MS,
  );
});
