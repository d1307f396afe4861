import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { basicAuthorization } from '@patient-access/auth-core';
import { buildApp } from '../app.js';
import { generateDataset } from '../data/index.js';
import { GUIDE_CLIENT, GUIDE_USERS } from '../../../../test-support/guide.js';
import { accessTokenFor, signIn } from '../test-support/identity-flow.js';
import { DAVID as GUIDE_PATIENT } from './test-support/fixture-dataset.js';

const FHIR = '/api/fhir/r4';
const DAVID = '428946492';
const ANNA = '428946523';

let app: FastifyInstance;
let token: string;

// The generator the app serves, seeded the same way, gives the structural facts to assert on.
const record: readonly Resource[] =
  generateDataset({ seed: 1, extraPatients: 0 }).record(DAVID) ?? [];
const countOf = (type: string) =>
  record.filter((resource) => resource.resourceType === type).length;

beforeAll(async () => {
  app = await buildApp({ seed: 1, extraPatients: 0, logLevel: 'silent' });
  token = await accessTokenFor(app, GUIDE_USERS.david);
});
afterAll(() => app.close());

const get = (path: string, bearer = token) =>
  app.inject({
    method: 'GET',
    url: `${FHIR}/${path}`,
    headers: { authorization: `Bearer ${bearer}` },
  });

describe('the FHIR API behind buildApp, with tokens from the sign-in flow', () => {
  test('serves the guide Patient to its own token', async () => {
    const response = await get(`Patient/${DAVID}`);
    expect(response.statusCode).toBe(200);
    const { meta: _meta, ...patient } = response.json<Resource>();
    expect(patient).toEqual(GUIDE_PATIENT);
  });

  test('counts every Condition of the record in the searchset total', async () => {
    const response = await get(`Condition?patient=${DAVID}`);
    expect(response.statusCode).toBe(200);
    expect(response.json<Bundle>().total).toBe(countOf('Condition'));
  });

  test('pages through every Observation of the record exactly once', async () => {
    const seen = new Set<string>();
    let url: string | undefined = `${FHIR}/Observation?patient=${DAVID}&_count=7`;
    while (url) {
      const bundle: Bundle = (
        await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } })
      ).json();
      for (const entry of bundle.entry ?? []) seen.add(entry.resource?.id ?? '');
      const next = bundle.link?.find((link) => link.relation === 'next')?.url;
      url = next ? new URL(next).pathname + new URL(next).search : undefined;
    }
    expect(countOf('Observation')).toBeGreaterThan(7);
    expect(seen.size).toBe(countOf('Observation'));
  });

  test('counts the vital signs of the record in a category search', async () => {
    const vitals = record.filter(
      (resource) =>
        resource.resourceType === 'Observation' &&
        resource.category?.some((category) =>
          category.coding?.some((coding) => coding.code === 'vital-signs'),
        ),
    );
    const response = await get(`Observation?patient=${DAVID}&category=vital-signs`);
    expect(response.json<Bundle>().total).toBe(vitals.length);
  });

  test('includes the distinct Medications of the MedicationRequests', async () => {
    const bundle = (
      await get(`MedicationRequest?patient=${DAVID}&_include=MedicationRequest:medication`)
    ).json<Bundle>();
    const referenced = new Set(
      record.flatMap((resource) =>
        resource.resourceType === 'MedicationRequest' && resource.medicationReference?.reference
          ? [resource.medicationReference.reference]
          : [],
      ),
    );
    const included = (bundle.entry ?? []).filter((entry) => entry.search?.mode === 'include');
    expect(included.map((entry) => `Medication/${entry.resource?.id ?? ''}`).sort()).toEqual(
      [...referenced].sort(),
    );
  });

  test('serves a document attachment as raw content and as a Binary resource', async () => {
    const document = record.find((resource) => resource.resourceType === 'DocumentReference');
    const attachment =
      document?.resourceType === 'DocumentReference' ? document.content[0]?.attachment : undefined;
    const raw = await app.inject({
      method: 'GET',
      url: `${FHIR}/${attachment?.url ?? ''}`,
      headers: { authorization: `Bearer ${token}`, accept: '*/*' },
    });
    expect(raw.statusCode).toBe(200);
    expect(raw.headers['content-type']).toBe(attachment?.contentType);
    expect(raw.rawPayload.length).toBe(attachment?.size);
    const resource = await get(attachment?.url ?? '');
    expect(resource.json()).toMatchObject({
      resourceType: 'Binary',
      contentType: attachment?.contentType,
    });
  });

  test('filters by _lastUpdated with date prefixes and sorts by it', async () => {
    const stamps = record
      .filter((resource) => resource.resourceType === 'Encounter')
      .map((resource) => resource.meta?.lastUpdated ?? '')
      .sort();
    const middle = stamps[Math.floor(stamps.length / 2)] ?? '';
    const later = stamps.filter((stamp) => stamp >= middle).length;
    const response = await get(
      `Encounter?patient=${DAVID}&_lastUpdated=ge${encodeURIComponent(middle)}&_sort=-_lastUpdated`,
    );
    const bundle = response.json<Bundle>();
    expect(bundle.total).toBe(later);
    const got = (bundle.entry ?? []).map((entry) => entry.resource?.meta?.lastUpdated ?? '');
    expect(got).toEqual([...got].sort().reverse());
    expect((await get(`Encounter?patient=${DAVID}&_lastUpdated=xx2020`)).statusCode).toBe(400);
  });

  test('gives Encounter, Condition and Observation ids the Swagger shapes in fullUrl too', async () => {
    for (const [type, shape] of [
      ['Encounter', /\/Encounter\/PT-\d+$/],
      ['Condition', /\/Condition\/(PL|HC|ED)-\d+$/],
      ['Observation', /\/Observation\/(HX|VS|LR)-\d+$/],
    ] as const) {
      const bundle = (await get(`${type}?patient=${DAVID}&_count=200`)).json<Bundle>();
      for (const entry of bundle.entry ?? []) expect(entry.fullUrl).toMatch(shape);
    }
  });

  test('refuses another patient with 401 as the Swagger documents', async () => {
    expect((await get(`Patient/${ANNA}`)).statusCode).toBe(401);
    expect((await get(`Condition?patient=${ANNA}`)).statusCode).toBe(401);
  });

  test("refuses a read of one of another patient's resources with 401", async () => {
    const annas = generateDataset({ seed: 1, extraPatients: 0 }).record(ANNA) ?? [];
    const condition = annas.find((resource) => resource.resourceType === 'Condition');
    const response = await get(`Condition/${condition?.id}`);
    expect(response.statusCode).toBe(401);
    expect(response.body).not.toContain(ANNA);
  });

  test('answers 401 invalid_token once the clock passes the token expiry', async () => {
    const accessToken = await accessTokenFor(app, GUIDE_USERS.anna);
    expect((await get(`Patient/${ANNA}`, accessToken)).statusCode).toBe(200);
    await app.inject({ method: 'POST', url: '/__admin/clock', payload: { advanceSeconds: 3600 } });
    const response = await get(`Patient/${ANNA}`, accessToken);
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/error="invalid_token"/);
  });

  test('answers 401 invalid_token for a revoked token', async () => {
    const accessToken = await accessTokenFor(app, GUIDE_USERS.alex);
    const revoke = await app.inject({
      method: 'POST',
      url: '/auth/realms/nextgen/protocol/openid-connect/revoke',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: basicAuthorization(GUIDE_CLIENT.clientId, GUIDE_CLIENT.clientSecret),
      },
      payload: new URLSearchParams({
        token: accessToken,
        token_type_hint: 'access_token',
      }).toString(),
    });
    expect(revoke.statusCode).toBe(200);
    const response = await get('Patient/429119572', accessToken);
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/error="invalid_token"/);
  });

  test('answers 401 for a token signed by someone else', async () => {
    const [header, payload] = token.split('.');
    const forged = `${header}.${payload}.${Buffer.from('not the signature').toString('base64url')}`;
    expect((await get(`Patient/${DAVID}`, forged)).statusCode).toBe(401);
  });
});

describe('an account from the config file', () => {
  test('signs in and reads its own Person', async () => {
    const own = await buildApp({
      accounts: [{ username: 'nurse', password: 'pw', personId: '9100001', patientId: ANNA }],
    });
    try {
      const { tokens } = await signIn(own, { username: 'nurse', password: 'pw', patient: ANNA });
      expect(tokens).toMatchObject({ resource: 'Person/9100001', patient: ANNA });
      const person = await own.inject({
        url: '/api/fhir/r4/Person/9100001',
        headers: { authorization: `Bearer ${String(tokens.access_token)}` },
      });
      expect(person.statusCode).toBe(200);
      expect(person.json()).toMatchObject({ resourceType: 'Person', id: '9100001' });
    } finally {
      await own.close();
    }
  });
});
