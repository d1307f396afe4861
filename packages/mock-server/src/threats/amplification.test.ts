import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Bundle, OperationOutcome } from '@medplum/fhirtypes';
import { fixtureApp, FHIR_PREFIX } from '../fhir/test-support/fixture-app.js';
import { MAX_INCLUDE_PARAMETERS } from '../fhir/search/query.js';

let app: FastifyInstance;
let token: string;

beforeAll(async () => {
  const fixture = await fixtureApp();
  app = fixture.app;
  token = fixture.verifier.grant('patient/*.read');
});
afterAll(() => app.close());

const searchPost = (type: string, body: string) =>
  app.inject({
    method: 'POST',
    url: `${FHIR_PREFIX}/${type}/_search`,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    payload: body,
  });

const entryIds = (bundle: Bundle) =>
  (bundle.entry ?? []).map((entry) => `${entry.resource?.resourceType}/${entry.resource?.id}`);

describe('a search that repeats _include (amplification)', () => {
  test('answers thousands of _include=* in one 64 KB body with a 400 naming the cap', async () => {
    const body = ['patient=428946492', ...Array(5_900).fill('_include=*')].join('&');
    expect(body.length).toBeLessThan(64 * 1024);
    const response = await searchPost('Condition', body);
    expect(response.statusCode).toBe(400);
    const issue = response.json<OperationOutcome>().issue?.[0];
    expect(issue?.diagnostics).toBe(
      `Too many _include and _revinclude parameters: at most ${MAX_INCLUDE_PARAMETERS} per search`,
    );
    expect(issue?.expression).toEqual(['_include']);
  });

  test('joins a repeated _include once: the page equals the one of a single _include', async () => {
    const once = await searchPost('Condition', 'patient=428946492&_include=*');
    const repeated = await searchPost(
      'Condition',
      ['patient=428946492', ...Array(MAX_INCLUDE_PARAMETERS).fill('_include=*')].join('&'),
    );
    expect(repeated.statusCode).toBe(200);
    expect(entryIds(repeated.json<Bundle>())).toEqual(entryIds(once.json<Bundle>()));
  });

  test('counts _revinclude repeats against the same cap', async () => {
    const body = [
      'patient=428946492',
      ...Array(MAX_INCLUDE_PARAMETERS + 1).fill('_revinclude=Provenance:target'),
    ].join('&');
    const response = await searchPost('Condition', body);
    expect(response.statusCode).toBe(400);
    expect(response.json<OperationOutcome>().issue?.[0]?.expression).toEqual(['_revinclude']);
  });
});
