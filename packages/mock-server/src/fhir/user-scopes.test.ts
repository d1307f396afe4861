import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { GUIDE_USERS } from '../../../../test-support/guide.js';
import { signIn, testApp } from '../test-support/identity-flow.js';

const { david, anna, alex } = GUIDE_USERS;
const LAB = 'http://terminology.hl7.org/CodeSystem/observation-category|laboratory';

let app: FastifyInstance;
let davidToken: string;

beforeAll(async () => {
  ({ app } = await testApp());
  davidToken = await userToken(
    'openid fhirUser launch/patient user/Patient.rs user/Observation.rs',
  );
});
afterAll(() => app.close());

async function userToken(scope: string, user: typeof david | typeof anna = david): Promise<string> {
  const { tokens } = await signIn(app, {
    params: { scope },
    username: user.username,
    password: user.password,
    patient: user.patientId,
  });
  return tokens.access_token as string;
}

function get(path: string, token = davidToken) {
  return app.inject({
    method: 'GET',
    url: `/api/fhir/r4/${path}`,
    headers: { authorization: `Bearer ${token}` },
  });
}

interface Bundle {
  total: number;
  entry?: { resource: { resourceType: string; id: string; subject?: { reference: string } } }[];
}

describe('user/ scopes', () => {
  test('read the user’s own record and a dependent’s record', async () => {
    expect((await get(`Patient/${david.patientId}`)).statusCode).toBe(200);
    expect((await get(`Patient/${alex.patientId}`)).statusCode).toBe(200);
  });

  test('do not reach a patient the account may not select', async () => {
    const read = await get(`Patient/${anna.patientId}`);
    expect(read.statusCode).toBe(401);
    expect(read.json().resourceType).toBe('OperationOutcome');
    expect((await get(`Observation?patient=${anna.patientId}`)).statusCode).toBe(401);
  });

  test('search every patient the user may see when no patient is named', async () => {
    const patients = (await get('Patient')).json<Bundle>();
    expect(patients.entry?.map((entry) => entry.resource.id).sort()).toEqual(
      [david.patientId, alex.patientId].sort(),
    );
  });

  test('narrow a search to the named dependent', async () => {
    const bundle = (await get(`Observation?patient=${alex.patientId}`)).json<Bundle>();
    expect(bundle.total).toBeGreaterThan(0);
    expect(
      bundle.entry?.every(
        (entry) => entry.resource.subject?.reference === `Patient/${alex.patientId}`,
      ),
    ).toBe(true);
  });

  test('sort a search across every patient the user may see', async () => {
    const ascending = (await get('Patient?_sort=birthdate')).json<{
      entry?: { resource: { id: string; birthDate: string } }[];
    }>();
    const descending = (await get('Patient?_sort=-birthdate')).json<Bundle>();
    const dates = ascending.entry?.map((entry) => entry.resource.birthDate) ?? [];
    expect(dates).toHaveLength(2);
    expect(dates).toEqual([...dates].sort());
    expect(descending.entry?.map((entry) => entry.resource.id)).toEqual(
      ascending.entry?.map((entry) => entry.resource.id).reverse(),
    );
  });

  test('count a search across every patient the user may see with _summary=count', async () => {
    const bundle = (await get('Patient?_summary=count')).json<Bundle>();
    expect(bundle.total).toBe(2);
    expect(bundle.entry).toBeUndefined();
  });

  test('read a dependent’s resource by id', async () => {
    const bundle = (await get(`Observation?patient=${alex.patientId}&_count=1`)).json<Bundle>();
    const id = bundle.entry?.[0]?.resource.id;
    expect((await get(`Observation/${id!}`)).statusCode).toBe(200);
  });

  test('stay within the scope’s types', async () => {
    const read = await get(`Condition?patient=${david.patientId}`);
    expect(read.statusCode).toBe(401);
  });

  test('keep another account’s dependents out of reach', async () => {
    const annaToken = await userToken('openid user/Patient.rs', anna);
    expect((await get(`Patient/${anna.patientId}`, annaToken)).statusCode).toBe(200);
    expect((await get(`Patient/${alex.patientId}`, annaToken)).statusCode).toBe(401);
  });

  test('apply a v2 granular restriction to every reachable patient', async () => {
    const token = await userToken(`openid user/Observation.rs?category=${LAB}`);
    const response = await get(`Observation?patient=${david.patientId}`, token);
    expect(response.statusCode, response.body).toBe(200);
    const bundle = response.json<{
      entry?: { resource: { category: { coding: { code: string }[] }[] } }[];
    }>();
    expect(bundle.entry?.length).toBeGreaterThan(0);
    for (const entry of bundle.entry ?? []) {
      expect(
        entry.resource.category.flatMap((c) => c.coding.map((coding) => coding.code)),
      ).toContain('laboratory');
    }
  });
});
