import { describe, expect, test } from 'vitest';
import { FhirClient } from './fhir-client.js';
import { NEXTGEN_PRODUCTION } from './server-profile.js';
import type { Handler } from './test-support/fake-fetch.js';
import { fakeFetch, fhirJson, guideTokenResponse, html, json } from './test-support/fake-fetch.js';
import { parseTokenResponse } from './token-response.js';
import { MemoryTokenStorage, TokenSession } from './token-session.js';

const BASE = NEXTGEN_PRODUCTION.fhirBaseUrl;
const PATIENT = `GET ${BASE}/Patient/428946492`;
const TOKEN = `POST ${NEXTGEN_PRODUCTION.tokenEndpoint}`;
const NOW = Date.UTC(2024, 0, 15, 12, 0, 0);
const patient = { resourceType: 'Patient', id: '428946492' };
const client = {
  clientId: 'yourHealthFile',
  clientSecret: 's',
  redirectUri: 'https://a.example/cb',
};

async function setup(routes: Record<string, Handler>) {
  const server = fakeFetch({
    [TOKEN]: () => json(guideTokenResponse({ access_token: 'at-new', refresh_token: 'rt-new' })),
    ...routes,
  });
  const session = new TokenSession({
    profile: NEXTGEN_PRODUCTION,
    client,
    storage: new MemoryTokenStorage(),
    fetch: server.fetch,
    clock: () => NOW,
  });
  await session.store(
    parseTokenResponse(guideTokenResponse({ access_token: 'at-old', refresh_token: 'rt-old' }), {
      now: NOW,
    }),
  );
  return { server, session, fhir: new FhirClient({ baseUrl: BASE, session, fetch: server.fetch }) };
}

/** A client whose server never answers `route`, with a client-wide deadline when given. */
function silentServerClient(route: string, timeoutMs?: number) {
  const server = fakeFetch({ [route]: () => new Promise<Response>(() => undefined) });
  return new FhirClient({
    baseUrl: BASE,
    accessToken: async () => 'at',
    fetch: server.fetch,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
}

function bundle(ids: string[], next?: string) {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    link: next ? [{ relation: 'next', url: next }] : [],
    entry: ids.map((id) => ({
      resource: { resourceType: 'Condition', id },
      search: { mode: 'match' },
    })),
  };
}

describe('FhirClient', () => {
  test('reads a resource with the bearer token and FHIR JSON accept header', async () => {
    const { fhir, server } = await setup({ [PATIENT]: () => fhirJson(patient) });
    expect(await fhir.read('Patient', '428946492')).toEqual(patient);
    const [request] = server.calls(PATIENT);
    expect(request?.headers.get('authorization')).toBe('Bearer at-old');
    expect(request?.headers.get('accept')).toBe('application/fhir+json');
  });

  test('tells a 401 that withholds the resource from an expired token, after one retry', async () => {
    const { fhir, server } = await setup({
      [PATIENT]: () =>
        fhirJson(
          {
            resourceType: 'OperationOutcome',
            issue: [
              {
                severity: 'error',
                code: 'security',
                diagnostics: 'Resource not authorized to be viewed by this user',
              },
            ],
          },
          401,
        ),
    });
    const error = await fhir.read('Patient', '428946492').catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'ERR_FHIR', status: 401, notAuthorized: true });
    expect(server.calls(PATIENT)).toHaveLength(2);
  });

  test('does not read a bare 401 as a withheld resource', async () => {
    const { fhir } = await setup({ [PATIENT]: () => new Response(null, { status: 401 }) });
    const error = await fhir.read('Patient', '428946492').catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ status: 401, notAuthorized: false });
  });

  test('refreshes once and retries after a 401', async () => {
    const { fhir, server } = await setup({
      [PATIENT]: (request) =>
        request.headers.get('authorization') === 'Bearer at-new'
          ? fhirJson(patient)
          : fhirJson(
              { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login' }] },
              401,
            ),
    });
    expect(await fhir.read('Patient', '428946492')).toEqual(patient);
    expect(server.calls(TOKEN)).toHaveLength(1);
    expect(server.calls(PATIENT)).toHaveLength(2);
  });

  test('gives up with a 401 FhirError when the retry is refused too', async () => {
    const { fhir, server } = await setup({
      [PATIENT]: () => new Response(null, { status: 401 }),
    });
    await expect(fhir.read('Patient', '428946492')).rejects.toMatchObject({
      code: 'ERR_FHIR',
      status: 401,
    });
    expect(server.calls(PATIENT)).toHaveLength(2);
  });

  test('reports a 401 "not authorized" that survives the refresh as notAuthorized, not expiry', async () => {
    const { fhir, server } = await setup({
      [PATIENT]: () =>
        new Response(
          JSON.stringify({
            resourceType: 'OperationOutcome',
            issue: [
              {
                severity: 'error',
                code: 'forbidden',
                diagnostics: 'Resource not authorized to be viewed by this user',
              },
            ],
          }),
          {
            status: 401,
            headers: {
              'content-type': 'application/fhir+json',
              'www-authenticate': 'Bearer realm="nextgen"',
            },
          },
        ),
    });
    await expect(fhir.read('Patient', '428946492')).rejects.toMatchObject({
      code: 'ERR_FHIR',
      status: 401,
      notAuthorized: true,
    });
    expect(server.calls(TOKEN)).toHaveLength(1);
    expect(server.calls(PATIENT)).toHaveLength(2);
  });

  test('reports a 401 insufficient_scope challenge as notAuthorized', async () => {
    const { fhir } = await setup({
      [PATIENT]: () =>
        new Response(null, {
          status: 401,
          headers: { 'www-authenticate': 'Bearer realm="nextgen", error="insufficient_scope"' },
        }),
    });
    await expect(fhir.read('Patient', '428946492')).rejects.toMatchObject({
      status: 401,
      notAuthorized: true,
    });
  });

  test('keeps a 401 invalid_token after the refresh as a token problem', async () => {
    const { fhir } = await setup({
      [PATIENT]: () =>
        new Response(null, {
          status: 401,
          headers: { 'www-authenticate': 'Bearer realm="nextgen", error="invalid_token"' },
        }),
    });
    await expect(fhir.read('Patient', '428946492')).rejects.toMatchObject({
      status: 401,
      notAuthorized: false,
    });
  });

  test('turns an OperationOutcome into a FhirError with status and issues', async () => {
    const outcome = {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'not-found', diagnostics: 'Patient/1 is not known' }],
    };
    const { fhir } = await setup({ [`GET ${BASE}/Patient/1`]: () => fhirJson(outcome, 404) });
    await expect(fhir.read('Patient', '1')).rejects.toMatchObject({
      code: 'ERR_FHIR',
      status: 404,
      message: 'Patient/1 is not known',
      issues: outcome.issue,
    });
  });

  test('turns an HTML 502 into ERR_RESPONSE_INVALID with the status', async () => {
    const { fhir } = await setup({ [PATIENT]: () => html(502) });
    await expect(fhir.read('Patient', '428946492')).rejects.toMatchObject({
      code: 'ERR_RESPONSE_INVALID',
      status: 502,
    });
  });

  test('rejects an id that would change the path with ERR_INVALID_ARGUMENT', async () => {
    const { fhir, server } = await setup({});
    await expect(fhir.read('Patient', '../Observation')).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
    });
    expect(server.requests).toHaveLength(0);
  });

  test('searches with repeated parameters and returns the Bundle', async () => {
    const route = `GET ${BASE}/Observation`;
    const { fhir, server } = await setup({ [route]: () => fhirJson(bundle(['o1'])) });
    const result = await fhir.search('Observation', {
      patient: '428946492',
      category: ['laboratory', 'vital-signs'],
    });
    expect(result.resourceType).toBe('Bundle');
    expect(server.calls(route)[0]?.url.search).toBe(
      '?patient=428946492&category=laboratory&category=vital-signs',
    );
  });

  test('follows next links and stops at maxPages', async () => {
    const route = `GET ${BASE}/Condition`;
    const { fhir, server } = await setup({
      [route]: (request) => {
        const page = Number(request.url.searchParams.get('page') ?? '1');
        return fhirJson(bundle([`c${page}`], `${BASE}/Condition?patient=1&page=${page + 1}`));
      },
    });
    const resources = await fhir.searchAll('Condition', { patient: '1' }, { maxPages: 3 });
    expect(resources.map((r) => r.id)).toEqual(['c1', 'c2', 'c3']);
    expect(server.calls(route)).toHaveLength(3);
  });

  test('does not follow a next link to another origin', async () => {
    const route = `GET ${BASE}/Condition`;
    const { fhir, server } = await setup({
      [route]: () => fhirJson(bundle(['c1'], 'https://elsewhere.example/fhir/Condition?page=2')),
    });
    expect(await fhir.searchAll('Condition')).toHaveLength(1);
    expect(server.requests.filter((r) => r.url.host === 'elsewhere.example')).toHaveLength(0);
  });

  test('loads a record and isolates the failure of one type', async () => {
    const { fhir } = await setup({
      [PATIENT]: () => fhirJson(patient),
      [`GET ${BASE}/Condition`]: () => fhirJson(bundle(['c1'])),
      [`GET ${BASE}/Device`]: () =>
        fhirJson(
          { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'forbidden' }] },
          403,
        ),
    });
    const record = await fhir.loadRecord('428946492', ['Patient', 'Condition', 'Device']);
    expect(record.Patient).toEqual([patient]);
    expect(record.Condition).toEqual([{ resourceType: 'Condition', id: 'c1' }]);
    expect(record.Device).toMatchObject({ code: 'ERR_FHIR', status: 403 });
  });

  test('stops with ERR_ABORTED when the caller aborts', async () => {
    const controller = new AbortController();
    const { fhir } = await setup({
      [PATIENT]: () => {
        controller.abort();
        return new Promise<Response>(() => undefined);
      },
    });
    await expect(
      fhir.read('Patient', '428946492', { signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'ERR_ABORTED' });
  });

  test('asks a token source again with the refused token after a 401, then retries', async () => {
    const server = fakeFetch({
      [PATIENT]: (request) =>
        request.headers.get('authorization') === 'Bearer fresh'
          ? fhirJson(patient)
          : fhirJson({ resourceType: 'OperationOutcome', issue: [] }, 401),
    });
    const asked: Array<string | undefined> = [];
    const fhir = new FhirClient({
      baseUrl: BASE,
      accessToken: async ({ rejected }) => {
        asked.push(rejected);
        return rejected === 'stale' ? 'fresh' : 'stale';
      },
      fetch: server.fetch,
    });
    await expect(fhir.read('Patient', '428946492')).resolves.toEqual(patient);
    expect(asked).toEqual([undefined, 'stale']);
  });

  test('gives up with ERR_TIMEOUT when the server never answers', async () => {
    const fhir = silentServerClient(PATIENT, 5);
    await expect(fhir.read('Patient', '428946492')).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
  });
});

describe('FhirClient.fetchDocument', () => {
  const CCDA = `${new URL(BASE).origin}/api/ccda`;
  const DOCUMENT = `GET ${CCDA}`;
  const xml = '<ClinicalDocument xmlns="urn:hl7-org:v3"/>';
  const notAuthorized = {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity: 'error',
        code: 'security',
        diagnostics: 'Resource not authorized to be viewed by this user',
      },
    ],
  };

  test('returns the body text and content type of a 200', async () => {
    const { fhir } = await setup({
      [DOCUMENT]: () => new Response(xml, { headers: { 'content-type': 'text/xml' } }),
    });
    await expect(fhir.fetchDocument(`${CCDA}?patient=428946492`)).resolves.toEqual({
      text: xml,
      contentType: 'text/xml',
    });
  });

  test('sends the bearer token and the Accept header it is given', async () => {
    const { fhir, server } = await setup({ [DOCUMENT]: () => new Response(xml) });
    await fhir.fetchDocument(new URL(CCDA), { accept: 'application/xml, text/xml' });
    const [request] = server.calls(DOCUMENT);
    expect(request?.headers.get('authorization')).toBe('Bearer at-old');
    expect(request?.headers.get('accept')).toBe('application/xml, text/xml');
  });

  test('refreshes once and retries after a 401', async () => {
    const { fhir, server } = await setup({
      [DOCUMENT]: (request) =>
        request.headers.get('authorization') === 'Bearer at-new'
          ? new Response(xml)
          : new Response(null, { status: 401 }),
    });
    await expect(fhir.fetchDocument(CCDA)).resolves.toMatchObject({ text: xml });
    expect(server.calls(TOKEN)).toHaveLength(1);
    expect(server.calls(DOCUMENT)).toHaveLength(2);
  });

  test('throws a notAuthorized FhirError quoting NextGen’s 401 diagnostics', async () => {
    const { fhir } = await setup({ [DOCUMENT]: () => fhirJson(notAuthorized, 401) });
    await expect(fhir.fetchDocument(CCDA)).rejects.toMatchObject({
      code: 'ERR_FHIR',
      status: 401,
      notAuthorized: true,
      outcomeFromServer: true,
      message: 'Resource not authorized to be viewed by this user',
    });
  });

  test('builds the FhirError from the status when the error body is plain text', async () => {
    const { fhir } = await setup({
      [DOCUMENT]: () => new Response('Not found', { status: 404 }),
    });
    await expect(fhir.fetchDocument(CCDA)).rejects.toMatchObject({
      code: 'ERR_FHIR',
      status: 404,
      outcomeFromServer: false,
      issues: [{ severity: 'error', code: 'not-found' }],
    });
  });

  test('refuses a URL on another origin without asking for a token', async () => {
    const { fhir, server } = await setup({});
    await expect(
      fhir.fetchDocument('https://elsewhere.example/api/ccda?patient=428946492'),
    ).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    expect(server.requests).toHaveLength(0);
  });

  test('refuses the FHIR host over another scheme', async () => {
    const { fhir, server } = await setup({});
    await expect(fhir.fetchDocument(CCDA.replace('https:', 'http:'))).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
    });
    expect(server.requests).toHaveLength(0);
  });

  test('gives up with ERR_TIMEOUT when the server never answers', async () => {
    const fhir = silentServerClient(DOCUMENT, 5);
    await expect(fhir.fetchDocument(CCDA)).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
  });

  test('gives up at its own deadline when one is given', async () => {
    const fhir = silentServerClient(DOCUMENT);
    await expect(fhir.fetchDocument(CCDA, { timeoutMs: 5 })).rejects.toMatchObject({
      code: 'ERR_TIMEOUT',
    });
  });

  test('turns an unreachable server into ERR_NETWORK', async () => {
    const { fhir } = await setup({});
    await expect(fhir.fetchDocument(CCDA)).rejects.toMatchObject({ code: 'ERR_NETWORK' });
  });
});
