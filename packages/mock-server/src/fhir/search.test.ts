import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Bundle, OperationOutcome } from '@medplum/fhirtypes';
import { fixtureApp, FHIR_PREFIX } from './test-support/fixture-app.js';
import { ANNA_ID } from './test-support/fixture-dataset.js';
import type { FakeVerifier } from './test-support/fake-verifier.js';

let app: FastifyInstance;
let verifier: FakeVerifier;
let token: string;

beforeAll(async () => {
  ({ app, verifier } = await fixtureApp());
  token = verifier.grant('patient/*.read');
});
afterAll(() => app.close());

async function search(query: string, bearer = token) {
  const url = query.startsWith('http')
    ? new URL(query).pathname + new URL(query).search
    : `${FHIR_PREFIX}/${query}`;
  return app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${bearer}` } });
}

async function ids(query: string): Promise<string[]> {
  const response = await search(query);
  expect(response.statusCode).toBe(200);
  return (response.json<Bundle>().entry ?? []).map((entry) => entry.resource?.id ?? '');
}

async function outcome(query: string) {
  const response = await search(query);
  return { status: response.statusCode, issue: response.json<OperationOutcome>().issue?.[0] };
}

describe('searchset Bundles', () => {
  test('carry id, lastUpdated, total, fullUrl and search.mode match', async () => {
    const bundle = (await search('Condition?patient=428946492')).json<Bundle>();
    expect(bundle).toMatchObject({
      resourceType: 'Bundle',
      type: 'searchset',
      total: 2,
      meta: { lastUpdated: '2026-01-01T00:00:00.000Z' },
    });
    expect(bundle.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(bundle.entry?.[0]).toMatchObject({
      fullUrl: 'http://localhost:80/api/fhir/r4/Condition/PL-1',
      search: { mode: 'match' },
    });
  });

  test('answer the same entries to GET and POST _search', async () => {
    const viaGet = (
      await search('Observation?patient=428946492&category=laboratory&date=ge2019-06')
    ).json<Bundle>();
    const viaPost = (
      await app.inject({
        method: 'POST',
        url: `${FHIR_PREFIX}/Observation/_search?patient=428946492`,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: 'category=laboratory&date=ge2019-06',
      })
    ).json<Bundle>();
    expect(viaPost.total).toBe(viaGet.total);
    expect(viaPost.entry).toEqual(viaGet.entry);
  });

  test('answer a repeated search with the same page under a fresh Bundle id', async () => {
    const first = (await search('Observation?patient=428946492&_count=2')).json<Bundle>();
    const second = (await search('Observation?patient=428946492&_count=2')).json<Bundle>();
    expect(second.id).not.toBe(first.id);
    expect(second.total).toBe(first.total);
    expect(second.link).toEqual(first.link);
    expect(second.entry).toEqual(first.entry);
  });

  test('accept _format=json', async () => {
    expect(await ids('Condition?patient=428946492&_format=json')).toEqual(['PL-1', 'ED-2']);
  });
});

describe('reference parameters', () => {
  test('accept a bare id, Patient/id and an absolute URL alike', async () => {
    const expected = await ids('Condition?patient=428946492');
    expect(await ids('Condition?patient=Patient/428946492')).toEqual(expected);
    expect(await ids('Condition?patient=http://localhost/api/fhir/r4/Patient/428946492')).toEqual(
      expected,
    );
    expect(await ids('Condition?subject=Patient/428946492')).toEqual(expected);
  });

  test('answer 401 for another patient', async () => {
    const { status, issue } = await outcome(`Condition?patient=${ANNA_ID}`);
    expect(status).toBe(401);
    expect(issue?.diagnostics).toBe('Resource not authorized to be viewed by this user');
  });

  test('answer 400 for a reference to another type', async () => {
    const { status, issue } = await outcome('Condition?patient=Practitioner/1');
    expect(status).toBe(400);
    expect(issue?.expression).toEqual(['patient']);
  });

  test('limit a search without a patient to the token patient', async () => {
    expect(await ids('Encounter')).toEqual([]);
    expect(await ids('Patient')).toEqual(['428946492']);
  });
});

describe('token parameters', () => {
  test.each([
    ['code', 'laboratory'],
    ['system|code', 'http://terminology.hl7.org/CodeSystem/observation-category|laboratory'],
    ['system|', 'http://terminology.hl7.org/CodeSystem/observation-category|'],
  ])('match the %s form', async (_form, value) => {
    const found = await ids(`Observation?patient=428946492&category=${encodeURIComponent(value)}`);
    expect(found).toEqual(
      value.endsWith('|') ? expect.arrayContaining(['LR-0', 'VS-0']) : ['LR-0', 'LR-1', 'LR-2'],
    );
  });

  test('match no coding with a system for the |code form', async () => {
    expect(await ids('Observation?patient=428946492&category=%7Claboratory')).toEqual([]);
  });

  test('match a plain code element given system|code', async () => {
    expect(
      await ids(
        'MedicationRequest?patient=428946492&status=http://hl7.org/fhir/CodeSystem/medicationrequest-status|active',
      ),
    ).toEqual(['MR-1']);
  });

  test('treat commas as OR', async () => {
    const found = await ids(
      'Condition?patient=428946492&category=problem-list-item,encounter-diagnosis',
    );
    expect(found).toEqual(['PL-1', 'ED-2']);
  });

  test('match a wrong system with nothing', async () => {
    expect(
      await ids('Observation?patient=428946492&category=http://example.org|laboratory'),
    ).toEqual([]);
  });
});

describe('date parameters', () => {
  test.each([
    ['2019', ['LR-0', 'LR-1']],
    ['2019-05', ['LR-0']],
    ['2019-05-03', ['LR-0']],
    ['eq2019-06-15T08:30:00Z', ['LR-1']],
    ['ne2019', ['LR-2']],
    ['gt2019-05-03', ['LR-1', 'LR-2']],
    ['lt2019-06-15', ['LR-0']],
    ['ge2019-06-15', ['LR-1', 'LR-2']],
    ['le2019-06-15', ['LR-0', 'LR-1']],
    ['sa2019-12-31', ['LR-2']],
    ['eb2019-06', ['LR-0']],
  ])('compare the range of %s', async (value, expected) => {
    expect(await ids(`Observation?patient=428946492&category=laboratory&date=${value}`)).toEqual(
      expected,
    );
  });

  test('combine two dates as AND', async () => {
    expect(
      await ids('Observation?patient=428946492&category=laboratory&date=ge2019-06&date=lt2020'),
    ).toEqual(['LR-1']);
  });

  test('compare a Period by its whole range', async () => {
    expect(await ids('Condition?patient=428946492&date=2018')).toEqual([]);
    expect(await ids('Condition?patient=428946492&date=lt2018-06')).toEqual(['PL-1']);
    expect(await ids('Condition?patient=428946492&date=gt2018-12-31')).toEqual(['PL-1', 'ED-2']);
  });

  test.each(['2019-13', '2019-02-30', 'yesterday', '2019-05-03T10'])(
    'answer 400 for the malformed date %s',
    async (value) => {
      const { status, issue } = await outcome(`Observation?patient=428946492&date=${value}`);
      expect(status).toBe(400);
      expect(issue?.expression).toEqual(['date']);
    },
  );

  test('answer 400 for an unknown prefix, read as part of the date as HAPI reads it', async () => {
    const { status, issue } = await outcome('Observation?patient=428946492&date=xx2019');
    expect(status).toBe(400);
    expect(issue?.diagnostics).toBe('Invalid date/time format: "xx2019"');
  });
});

describe('string and _id parameters', () => {
  test('match a name prefix ignoring case', async () => {
    expect(await ids('Patient?name=smi')).toEqual(['428946492']);
    expect(await ids('Patient?name=zzz')).toEqual([]);
  });

  test('match ignoring accents', async () => {
    expect(await ids('Organization?name=elan')).toEqual(['org-2']);
  });

  test('match an address part', async () => {
    expect(await ids('Organization?address=solana')).toEqual(['1673497']);
  });

  test('find by _id', async () => {
    expect(await ids('DocumentReference?patient=428946492&_id=DR-1')).toEqual(['DR-1']);
    expect(await ids('DocumentReference?patient=428946492&_id=nope')).toEqual([]);
  });

  test('answer 401 for Patient?_id of another patient', async () => {
    expect((await outcome(`Patient?_id=${ANNA_ID}`)).status).toBe(401);
  });
});

describe('parameter validation', () => {
  test('answers 400 for an unknown parameter', async () => {
    const { status, issue } = await outcome('Condition?patient=428946492&colour=red');
    expect(status).toBe(400);
    expect(issue).toMatchObject({ code: 'invalid', expression: ['colour'] });
  });

  test('answers 400 when the Swagger-required patient is missing', async () => {
    const { status, issue } = await outcome('Condition?category=problem-list-item');
    expect(status).toBe(400);
    expect(issue?.diagnostics).toBe('Missing required search parameter "patient" for Condition');
  });

  test('answers 400 when CarePlan has no category', async () => {
    expect((await outcome('CarePlan?patient=428946492')).status).toBe(400);
  });

  test.each(['-1', 'abc', '1.5'])('answers 400 for _count=%s', async (value) => {
    const { status, issue } = await outcome(`Condition?patient=428946492&_count=${value}`);
    expect(status).toBe(400);
    expect(issue?.expression).toEqual(['_count']);
  });

  test('answers 400 for an unsupported modifier', async () => {
    expect((await outcome('Observation?patient=428946492&date:exact=2019')).status).toBe(400);
  });

  test('answers 400 for a type without search', async () => {
    expect((await outcome('Practitioner?name=x')).status).toBe(400);
  });
});

describe('paging', () => {
  test('walks the whole set exactly once through next links', async () => {
    const seen: string[] = [];
    let bundle = (await search('Observation?patient=428946492&_count=4')).json<Bundle>();
    for (let page = 0; page < 10; page += 1) {
      expect(bundle.total).toBe(15);
      seen.push(...(bundle.entry ?? []).map((entry) => entry.resource?.id ?? ''));
      const next = bundle.link?.find((link) => link.relation === 'next')?.url;
      if (!next) break;
      expect(next).toMatch(
        /\/api\/fhir\/r4\?_getpages=[\w-]+&_getpagesoffset=\d+&_count=4&_bundletype=searchset$/,
      );
      bundle = (await search(next)).json<Bundle>();
    }
    expect(seen).toHaveLength(15);
    expect(new Set(seen).size).toBe(15);
  });

  test('walks back through previous links in the same order', async () => {
    const first = (await search('Observation?patient=428946492&_count=5')).json<Bundle>();
    const next = first.link?.find((link) => link.relation === 'next')?.url ?? '';
    const second = (await search(next)).json<Bundle>();
    const previous = second.link?.find((link) => link.relation === 'previous')?.url ?? '';
    const back = (await search(previous)).json<Bundle>();
    expect(back.entry).toEqual(first.entry);
    expect(second.link?.find((link) => link.relation === 'self')?.url).toBe(next);
  });

  test('has no next link on the last page', async () => {
    const bundle = (await search('Condition?patient=428946492&_count=2')).json<Bundle>();
    expect(bundle.link?.map((link) => link.relation)).toEqual(['self']);
  });

  test('answers only the total for _count=0', async () => {
    const bundle = (await search('Observation?patient=428946492&_count=0')).json<Bundle>();
    expect(bundle.total).toBe(15);
    expect(bundle.entry).toBeUndefined();
  });

  test('answers 400 for a page id it did not issue', async () => {
    const response = await search(`?_getpages=bm9wZQ&_getpagesoffset=0&_count=5`);
    expect(response.statusCode).toBe(400);
  });

  test('re-checks the compartment of a page under the caller token', async () => {
    const first = (await search('Observation?patient=428946492&_count=5')).json<Bundle>();
    const next = first.link?.find((link) => link.relation === 'next')?.url ?? '';
    const anna = verifier.grant('patient/*.read', ANNA_ID);
    expect((await search(next, anna)).statusCode).toBe(401);
  });
});

describe('_include and _revinclude', () => {
  test('include the Medication of a MedicationRequest', async () => {
    const bundle = (
      await search('MedicationRequest?patient=428946492&_include=MedicationRequest:medication')
    ).json<Bundle>();
    expect(bundle.total).toBe(1);
    expect(
      bundle.entry?.map((entry) => [entry.resource?.resourceType, entry.search?.mode]),
    ).toEqual([
      ['MedicationRequest', 'match'],
      ['Medication', 'include'],
    ]);
  });

  test('revinclude the Provenance of each match', async () => {
    const bundle = (
      await search('Condition?patient=428946492&_revinclude=Provenance:target')
    ).json<Bundle>();
    const included = (bundle.entry ?? []).filter((entry) => entry.search?.mode === 'include');
    expect(included.map((entry) => entry.resource?.id)).toEqual(['prov-PL-1', 'prov-ED-2']);
    expect(bundle.total).toBe(2);
  });

  test('include the Patient of the matches', async () => {
    const found = await ids('Condition?patient=428946492&_include=Condition:patient');
    expect(found).toEqual(['PL-1', 'ED-2', '428946492']);
  });

  test('leave out included types the scopes do not grant', async () => {
    const narrow = verifier.grant('patient/Condition.read');
    const bundle = (
      await search('Condition?patient=428946492&_revinclude=Provenance:target', narrow)
    ).json<Bundle>();
    expect(bundle.entry?.every((entry) => entry.search?.mode === 'match')).toBe(true);
  });

  test('answer 400 for an include the type does not offer', async () => {
    const { status, issue } = await outcome(
      'Condition?patient=428946492&_include=Condition:asserter',
    );
    expect(status).toBe(400);
    expect(issue?.expression).toEqual(['_include']);
  });
});

describe("HAPI's result parameters", () => {
  const vitals = 'Observation?patient=428946492&category=vital-signs';

  test('_sort=date orders ascending and _sort=-date descending', async () => {
    const ascending = await ids(`${vitals}&_sort=date`);
    const descending = await ids(`${vitals}&_sort=-date`);
    expect(ascending.length).toBeGreaterThan(2);
    expect(descending).toEqual([...ascending].reverse());
  });

  test('_sort takes several keys, the later ones breaking ties', async () => {
    const response = await search('Observation?patient=428946492&_sort=category,-date');
    const entries = response.json<Bundle>().entry ?? [];
    const keys = entries.map((entry) => {
      const resource = entry.resource as { category: { coding: { code: string }[] }[] } & {
        effectiveDateTime: string;
      };
      return `${resource.category[0]?.coding[0]?.code} ${resource.effectiveDateTime}`;
    });
    const expected = [...keys].sort((a, b) => {
      const [ca = '', da = ''] = a.split(' ');
      const [cb = '', db = ''] = b.split(' ');
      return ca === cb ? db.localeCompare(da) : ca.localeCompare(cb);
    });
    expect(keys).toEqual(expected);
  });

  test("_sort on a parameter the type lacks answers HAPI's 400", async () => {
    const { status, issue } = await outcome(`${vitals}&_sort=birthdate`);
    expect(status).toBe(400);
    expect(issue?.diagnostics).toMatch(
      /^Unknown _sort parameter value "birthdate" for resource type "Observation"/,
    );
  });

  test('_elements keeps the named elements, id and meta, tagged SUBSETTED', async () => {
    const response = await search(`${vitals}&_elements=code`);
    const resource = response.json<Bundle>().entry?.[0]?.resource as unknown as Record<
      string,
      unknown
    > & { meta: { tag: { code: string }[] } };
    expect(Object.keys(resource).sort()).toEqual(['code', 'id', 'meta', 'resourceType']);
    expect(resource.meta.tag.map((tag) => tag.code)).toContain('SUBSETTED');
  });

  test('_summary=count answers the total without entries', async () => {
    const bundle = (await search(`${vitals}&_summary=count`)).json<Bundle>();
    expect(bundle.total).toBeGreaterThan(0);
    expect(bundle.entry).toBeUndefined();
  });

  test('_summary=data leaves the narrative out', async () => {
    const response = await search(`${vitals}&_summary=data`);
    expect(response.statusCode).toBe(200);
    expect(response.body).not.toContain('"text":{"status"');
    expect(response.body).toContain('SUBSETTED');
  });

  test("_summary=text with another value answers HAPI's 400", async () => {
    const { status, issue } = await outcome(`${vitals}&_summary=text&_summary=data`);
    expect(status).toBe(400);
    expect(issue?.diagnostics).toBe('Can not combine _summary=text with other values for _summary');
  });

  test('_total=none leaves total out and _total=estimate keeps it', async () => {
    expect((await search(`${vitals}&_total=none`)).json<Bundle>().total).toBeUndefined();
    expect((await search(`${vitals}&_total=estimate`)).json<Bundle>().total).toBeGreaterThan(0);
  });

  test('_total with a value HAPI does not know is ignored, as HAPI ignores it', async () => {
    const response = await search(`${vitals}&_total=maybe`);
    expect(response.statusCode).toBe(200);
    expect(response.json<Bundle>().total).toBeGreaterThan(0);
  });

  test('_summary=true keeps the elements R4 flags isSummary, tagged SUBSETTED', async () => {
    const response = await search(`${vitals}&_summary=true`);
    expect(response.statusCode).toBe(200);
    const resource = response.json<Bundle>().entry?.[0]?.resource as unknown as Record<
      string,
      unknown
    > & { meta: { tag: { code: string }[] } };
    expect(resource).toHaveProperty('code');
    expect(resource).toHaveProperty('status');
    expect(resource).not.toHaveProperty('text');
    expect(resource.meta.tag.map((tag) => tag.code)).toContain('SUBSETTED');
  });

  test('_summary=true subsets the included resources too', async () => {
    const response = await search(
      'Condition?patient=428946492&_include=Condition:patient&_summary=true',
    );
    const included = response
      .json<Bundle>()
      .entry?.find((entry) => entry.search?.mode === 'include')?.resource;
    expect(included?.resourceType).toBe('Patient');
    expect(included?.meta?.tag?.map((tag) => tag.code)).toContain('SUBSETTED');
    expect(included).not.toHaveProperty('text');
  });

  test('a read honours _summary=true', async () => {
    const response = await search('Patient/428946492?_summary=true');
    const patient = response.json<Record<string, unknown>>();
    expect(patient).toHaveProperty('name');
    expect(patient).toHaveProperty('birthDate');
    expect(patient).not.toHaveProperty('text');
    expect(patient).not.toHaveProperty('extension');
  });

  test("_lastUpdated with a malformed date answers HAPI's 400", async () => {
    const { status, issue } = await outcome(`${vitals}&_lastUpdated=ge2020-99`);
    expect(status).toBe(400);
    expect(issue?.diagnostics).toBe('Invalid date/time format: "2020-99"');
  });

  test("_count that is not an integer answers HAPI's 400", async () => {
    const { status, issue } = await outcome(`${vitals}&_count=ten`);
    expect(status).toBe(400);
    expect(issue?.diagnostics).toBe('Invalid _count value: ten');
  });

  test('a read honours _elements', async () => {
    const response = await search('Condition/PL-1?_elements=code');
    expect(Object.keys(response.json()).sort()).toEqual(['code', 'id', 'meta', 'resourceType']);
  });

  test('POST _search honours _sort like GET', async () => {
    const viaPost = await app.inject({
      method: 'POST',
      url: `${FHIR_PREFIX}/Observation/_search`,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: 'patient=428946492&category=vital-signs&_sort=-date',
    });
    const posted = (viaPost.json<Bundle>().entry ?? []).map((entry) => entry.resource?.id);
    expect(posted).toEqual(await ids(`${vitals}&_sort=-date`));
  });
});
