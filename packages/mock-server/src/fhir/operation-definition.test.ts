import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { CapabilityStatement, OperationOutcome } from '@medplum/fhirtypes';
import { fixtureApp, FHIR_PREFIX } from './test-support/fixture-app.js';
import type { FakeVerifier } from './test-support/fake-verifier.js';

// HAPI 5.7's `ServerCapabilityStatementProvider.readOperationDefinition` answers a definition
// only for the operations and named queries the server binds, each listed in the
// CapabilityStatement's `operation`; NextGen's lists none, so every read is HAPI's 404.
describe('OperationDefinition', () => {
  let app: FastifyInstance;
  let verifier: FakeVerifier;

  beforeAll(async () => {
    ({ app, verifier } = await fixtureApp());
  });
  afterAll(() => app.close());

  test('the CapabilityStatement offers read only and binds no operation', async () => {
    const response = await app.inject({ method: 'GET', url: `${FHIR_PREFIX}/metadata` });
    const rest = response.json<CapabilityStatement>().rest?.[0];
    const definition = rest?.resource?.find((resource) => resource.type === 'OperationDefinition');
    expect(definition?.interaction?.map((interaction) => interaction.code)).toEqual(['read']);
    expect(rest?.operation).toBeUndefined();
    expect(rest?.resource?.flatMap((resource) => resource.operation ?? [])).toEqual([]);
  });

  test.each(['Patient-i-everything', 'everything', 'Patient-t-validate', 'meta'])(
    'a read of OperationDefinition/%s answers HAPI 404, as no operation is bound',
    async (id) => {
      const response = await app.inject({
        method: 'GET',
        url: `${FHIR_PREFIX}/OperationDefinition/${id}`,
        headers: { authorization: `Bearer ${verifier.grant('patient/*.read')}` },
      });
      expect(response.statusCode).toBe(404);
      expect(response.json<OperationOutcome>().issue?.[0]?.diagnostics).toBe(
        `Resource OperationDefinition/${id} is not known`,
      );
    },
  );

  test("a search answers HAPI's 400 for a method it does not have (no search-type)", async () => {
    const response = await app.inject({
      method: 'GET',
      url: `${FHIR_PREFIX}/OperationDefinition?url=x&_count=1`,
      headers: { authorization: `Bearer ${verifier.grant('patient/*.read')}` },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json<OperationOutcome>().issue?.[0]?.diagnostics).toBe(
      'Invalid request: The FHIR endpoint on this server does not know how to handle GET operation[OperationDefinition] with parameters [[url, _count]]',
    );
  });
});
