import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { OperationOutcome } from '@medplum/fhirtypes';
import { fixtureApp, FHIR_PREFIX } from './test-support/fixture-app.js';
import { DAVID } from './test-support/fixture-dataset.js';
import type { FakeVerifier } from './test-support/fake-verifier.js';

let app: FastifyInstance;
let verifier: FakeVerifier;

beforeAll(async () => {
  ({ app, verifier } = await fixtureApp());
});
afterAll(() => app.close());

const get = (path: string, token?: string, headers: Record<string, string> = {}) =>
  app.inject({
    method: 'GET',
    url: `${FHIR_PREFIX}/${path}`,
    headers: token ? { authorization: `Bearer ${token}`, ...headers } : headers,
  });

describe('GET Patient/{id}', () => {
  test('returns the fixture Patient as application/fhir+json', async () => {
    const response = await get('Patient/428946492', verifier.grant('patient/*.read'));
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    expect(response.json()).toEqual(DAVID);
  });
});
