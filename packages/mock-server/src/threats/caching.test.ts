import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { OIDC, signIn, testApp } from '../test-support/identity-flow.js';

let app: FastifyInstance;
let accessToken: string;

beforeAll(async () => {
  ({ app } = await testApp());
  accessToken = (
    await signIn(app, { params: { scope: 'openid fhirUser launch/patient patient/*.read' } })
  ).tokens.access_token as string;
});
afterAll(() => app.close());

const get = (url: string, headers: Record<string, string> = {}) =>
  app.inject({
    method: 'GET',
    url,
    headers: { authorization: `Bearer ${accessToken}`, ...headers },
  });

describe('answers read with a bearer token (shared caches)', () => {
  test('forbid storing a FHIR read', async () => {
    const response = await get('/api/fhir/r4/Patient/428946492');
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
  });

  test('forbid storing a search page and its paging link', async () => {
    const response = await get('/api/fhir/r4/Observation?patient=428946492&_count=1');
    expect(response.headers['cache-control']).toBe('no-store');
    const next = (response.json() as { link: { relation: string; url: string }[] }).link.find(
      (link) => link.relation === 'next',
    );
    expect(next).toBeDefined();
    const url = new URL(next?.url ?? '');
    const page = await get(`${url.pathname}${url.search}`);
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
  });

  test('forbid storing a Binary, raw or as FHIR JSON', async () => {
    const documents = await get('/api/fhir/r4/DocumentReference?patient=428946492');
    const binary = JSON.stringify(documents.json()).match(/Binary\/([\w.-]+)/)?.[1];
    expect(binary).toBeDefined();
    const raw = await get(`/api/fhir/r4/Binary/${binary}`, { accept: '*/*' });
    expect(raw.statusCode).toBe(200);
    expect(raw.headers['cache-control']).toBe('no-store');
    const json = await get(`/api/fhir/r4/Binary/${binary}`, { accept: 'application/fhir+json' });
    expect(json.headers['cache-control']).toBe('no-store');
  });

  test('forbid storing userinfo', async () => {
    const response = await get(`${OIDC}/userinfo`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
  });
});
