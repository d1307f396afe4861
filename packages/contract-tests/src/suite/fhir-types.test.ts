import type { Bundle, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { FhirClient, FhirError, parseScopes, sameResourceType } from '@patient-access/auth-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { signIn, suiteContext, type SignedIn } from './support/context.js';
import { WIDER_TYPES } from './support/search-plan.js';

// The types the guide's scope leaves out, which the real server's `scopes_supported` offers
// (`patient/Coverage.read`, ...), and the result parameters and error answers of HAPI 5.7 that
// NextGen's Swagger does not spell out. On the mock every check is asserted; on the real server
// what it answers is recorded, which is how we learn whether the documents are right.
const context = await suiteContext('fhir-types');
const { profile, kind } = { ...context.target };
const WIDER_SCOPE = [
  ...new Set([
    ...context.target.scope.split(' '),
    ...[...WIDER_TYPES, 'Encounter', 'Observation'].map((type) => `patient/${type}.read`),
  ]),
].join(' ');

let wide: SignedIn;
let narrow: SignedIn;
let patientId: string;
const firstIds = new Map<string, string>();

function client(session: SignedIn, check: string): FhirClient {
  return new FhirClient({
    baseUrl: profile.fhirBaseUrl,
    accessToken: async () => session.tokens.accessToken,
    fetch: context.fetch(check),
  });
}

function granted(session: SignedIn, type: string): boolean {
  return parseScopes(session.tokens.scope).some(
    (scope) => scope.kind === 'resource' && sameResourceType(scope.resourceType, type),
  );
}

interface Answer {
  status: number;
  contentType: string;
  wwwAuthenticate: string | null;
  body: string;
}

// A request the auth core's client would not make as is (XML, malformed parameters).
async function raw(check: string, path: string, accept = 'application/fhir+json'): Promise<Answer> {
  const response = await context.fetch(check)(`${profile.fhirBaseUrl}/${path}`, {
    headers: { authorization: `Bearer ${wide.tokens.accessToken}`, accept },
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    wwwAuthenticate: response.headers.get('www-authenticate'),
    body: await response.text(),
  };
}

function diagnostics(answer: Answer): string | null {
  try {
    return (JSON.parse(answer.body) as OperationOutcome).issue?.[0]?.diagnostics ?? null;
  } catch {
    return null;
  }
}

const matches = (bundle: Bundle): Resource[] =>
  (bundle.entry ?? [])
    .filter((entry) => (entry.search?.mode ?? 'match') === 'match')
    .map((entry) => entry.resource)
    .filter((resource): resource is Resource => resource !== undefined);

beforeAll(async () => {
  wide = await signIn(context, { scope: WIDER_SCOPE, record: 'fhir-types/sign-in' });
  narrow = await signIn(context);
  patientId = (wide.tokens.patient ?? '').trim();
});

describe('the resource types beyond the guide scope', () => {
  test('the wider scope is granted for every type on the mock (recorded on the real server)', () => {
    const grants = Object.fromEntries(
      [...WIDER_TYPES, 'Encounter', 'Observation'].map((type) => [type, granted(wide, type)]),
    );
    context.recorder.note('fhir-types/granted', grants);
    if (kind === 'mock') expect(Object.values(grants).every(Boolean)).toBe(true);
  });

  test.for(WIDER_TYPES)(
    "%s search returns the patient's resources, each readable by id",
    async (type, testContext) => {
      if (!granted(wide, type)) {
        context.recorder.note(`fhir-types/search/${type}`, { granted: false });
        testContext.skip(`the server did not grant a scope for ${type}`);
      }
      const bundle = await client(wide, `fhir-types/search/${type}`).search(type, {
        patient: patientId,
      });
      const resources = matches(bundle);
      context.recorder.note(`fhir-types/search/${type}`, {
        total: bundle.total ?? null,
        matches: resources.length,
      });
      expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
      expect(resources.every((resource) => resource.resourceType === type)).toBe(true);
      if (kind === 'mock') expect(resources.length).toBeGreaterThan(0);
      const first = resources[0];
      if (first?.id === undefined) return;
      firstIds.set(type, first.id);
      const read = await client(wide, `fhir-types/read/${type}`).read(type, first.id);
      expect(read).toMatchObject({ resourceType: type, id: first.id });
    },
  );
});

describe('ids (the Swagger documents their shapes)', () => {
  const shapes: Record<string, RegExp> = {
    Encounter: /^PT-\d+$/,
    Condition: /^(PL|HC|ED)-\d+$/,
    Observation: /^(HX|VS|LR)-\d+$/,
  };

  test.for(Object.keys(shapes))(
    '%s ids have the documented shape (asserted on the mock, recorded on the real server)',
    async (type, testContext) => {
      if (!granted(wide, type)) {
        context.recorder.note(`fhir-types/id-shape/${type}`, { granted: false });
        testContext.skip(`the server did not grant a scope for ${type}`);
      }
      const bundle = await client(wide, `fhir-types/id-shape/${type}`).search(type, {
        patient: patientId,
        _count: '50',
      });
      const ids = matches(bundle).map((resource) => resource.id ?? '');
      const prefixes = [...new Set(ids.map((id) => /^([A-Z]+-)/.exec(id)?.[1] ?? '(none)'))];
      context.recorder.note(`fhir-types/id-shape/${type}`, { prefixes: prefixes.sort() });
      if (ids[0] !== undefined) firstIds.set(type, ids[0]);
      if (kind !== 'mock') return;
      expect(ids.length).toBeGreaterThan(0);
      for (const id of ids) expect(id).toMatch(shapes[type] as RegExp);
    },
  );
});

describe('refusals (the Swagger documents 401 "Resource not authorized to be viewed by this user")', () => {
  test('a read of a type the scopes leave out is refused (401 insufficient_scope on the mock)', async (testContext) => {
    const id = firstIds.get('Encounter');
    if (id === undefined || granted(narrow, 'Encounter')) {
      testContext.skip('no Encounter to read, or the guide scope grants Encounter');
      return;
    }
    const read = client(narrow, 'fhir-types/scope-refusal').read('Encounter', id);
    const error = (await read.catch((caught: unknown) => caught)) as FhirError;
    expect(error).toBeInstanceOf(FhirError);
    const challenge = await context.fetch('fhir-types/scope-refusal/raw')(
      `${profile.fhirBaseUrl}/Encounter/${id}`,
      { headers: { authorization: `Bearer ${narrow.tokens.accessToken}` } },
    );
    await challenge.body?.cancel();
    context.recorder.note('fhir-types/scope-refusal', {
      status: error.status ?? null,
      diagnostics: error.issues[0]?.diagnostics ?? null,
      notAuthorized: error.notAuthorized,
      wwwAuthenticate: challenge.headers.get('www-authenticate')?.replace(/".*?"/g, '"…"') ?? null,
    });
    expect([401, 403, 404]).toContain(error.status);
    if (kind !== 'mock') return;
    expect(error).toMatchObject({ status: 401, notAuthorized: true });
    expect(error.issues[0]?.diagnostics).toBe('Resource not authorized to be viewed by this user');
    expect(challenge.headers.get('www-authenticate')).toMatch(/error="insufficient_scope"/);
  });
});

describe('OperationDefinition (read-only in the CapabilityStatement, no operation bound)', () => {
  test.for(['Patient-i-everything', 'validate'])(
    'OperationDefinition/%s answers what HAPI answers (404 on the mock)',
    async (id) => {
      const answer = await raw(
        `fhir-types/operation-definition/${id}`,
        `OperationDefinition/${id}`,
      );
      context.recorder.note(`fhir-types/operation-definition/${id}`, {
        status: answer.status,
        diagnostics: diagnostics(answer),
      });
      if (kind !== 'mock') return;
      expect(answer.status).toBe(404);
      expect(diagnostics(answer)).toBe(`Resource OperationDefinition/${id} is not known`);
    },
  );
});

// On Condition, which the guide's scope grants.
describe("HAPI's result parameters and their 400 answers", () => {
  const conditions = () => `Condition?patient=${patientId}`;

  test('_summary=true answers summary elements tagged SUBSETTED', async () => {
    const answer = await raw('fhir-types/result/summary-true', `${conditions()}&_summary=true`);
    const resources = matches(JSON.parse(answer.body) as Bundle);
    context.recorder.note('fhir-types/result/summary-true', {
      status: answer.status,
      keys: Object.keys(resources[0] ?? {}).sort(),
      tags: resources[0]?.meta?.tag?.map((tag) => tag.code ?? null) ?? [],
    });
    expect(answer.status).toBe(200);
    for (const resource of resources) {
      expect(resource.meta?.tag?.map((tag) => tag.code)).toContain('SUBSETTED');
      expect('text' in resource).toBe(false);
    }
  });

  test('_total=none leaves the total out', async () => {
    const answer = await raw('fhir-types/result/total-none', `${conditions()}&_total=none`);
    const bundle = JSON.parse(answer.body) as Bundle;
    context.recorder.note('fhir-types/result/total-none', { total: bundle.total ?? null });
    expect(answer.status).toBe(200);
    if (kind === 'mock') expect(bundle.total).toBeUndefined();
  });

  test('_lastUpdated=ge2000-01-01 keeps the same matches', async () => {
    const all = JSON.parse((await raw('fhir-types/result/all', conditions())).body) as Bundle;
    const since = await raw(
      'fhir-types/result/last-updated',
      `${conditions()}&_lastUpdated=ge2000-01-01`,
    );
    expect(since.status).toBe(200);
    expect((JSON.parse(since.body) as Bundle).total).toBe(all.total);
  });

  test.for([
    ['format-xml', '_format=xml', 'application/fhir+json'],
    ['accept-fhir-xml', '', 'application/fhir+xml'],
  ] as const)('%s answers FHIR XML', async ([label, query, accept]) => {
    const check = `fhir-types/result/xml/${label}`;
    const answer = await raw(check, `${conditions()}${query ? `&${query}` : ''}`, accept);
    context.recorder.note(check, {
      status: answer.status,
      contentType: answer.contentType,
      root: /<([A-Za-z]+) xmlns="http:\/\/hl7\.org\/fhir"/.exec(answer.body)?.[1] ?? null,
    });
    expect(answer.status).toBe(200);
    expect(answer.contentType).toMatch(/^application\/(fhir\+xml|xml\+fhir)/);
    expect(answer.body).toContain('<Bundle xmlns="http://hl7.org/fhir">');
  });

  // HAPI's texts (CountParameter, SummaryEnumParameter.cantCombineText, BaseStorageDao.
  // invalidSortParameter, BaseDateTimeDt): the real server's words, with or without HAPI 6's
  // `HAPI-nnnn:` codes, are what the report keeps.
  test.for([
    ['count', '_count=ten', /^(HAPI-\d{4}: )?Invalid _count value: ten$/],
    [
      'sort',
      '_sort=nonsense',
      /^(HAPI-\d{4}: )?Unknown _sort parameter value "nonsense" for resource type "Condition"/,
    ],
    [
      'summary-text',
      '_summary=text&_summary=data',
      /^(HAPI-\d{4}: )?Can not combine _summary=text with other values for _summary$/,
    ],
    [
      'last-updated',
      '_lastUpdated=ge2020-99',
      /^(HAPI-\d{4}: )?Invalid date\/time format: "2020-99"/,
    ],
  ] as const)("an invalid %s answers 400 with HAPI's diagnostics", async ([name, query, text]) => {
    const check = `fhir-types/result/invalid-${name}`;
    const answer = await raw(check, `${conditions()}&${query}`);
    context.recorder.note(check, { status: answer.status, diagnostics: diagnostics(answer) });
    expect(answer.status).toBe(400);
    if (kind === 'mock') expect(diagnostics(answer)).toMatch(text);
  });
});
