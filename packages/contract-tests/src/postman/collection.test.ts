import { readFileSync } from 'node:fs';
import { mockProfile } from '@patient-access/auth-core';
import { startMockServer, type RunningMockServer } from '@patient-access/mock-server';
import newman, { type NewmanRunOptions, type NewmanRunSummary } from 'newman';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { load } from 'js-yaml';
import { GUIDE_TEST_USER } from '../target.js';
import { getTestTokens } from '../test-tokens.js';
import {
  ROUTES_NOT_YET_IN_COLLECTION,
  buildCollection,
  mockEnvironment,
  nextgenEnvironment,
} from './collection.js';

const swaggerYaml = readFileSync(
  new URL('../../../mock-server/spec/nextgen-office-fhir-r4-openapi.yaml', import.meta.url),
  'utf8',
);
const docs = (name: string) =>
  new URL(`../../../../docs/postman/${name}`, import.meta.url).pathname;
const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

interface Item {
  name: string;
  item?: Item[];
  request?: { url: { host: string[]; path: string[] } };
  event?: Array<{ listen: string; script: { exec: string[] } }>;
}
interface Collection {
  item: Item[];
  auth: { type: string; oauth2: Array<{ key: string; value: unknown }> };
  variable: Array<{ key: string; value: string }>;
}

// The collection as users import it: the committed file, which the first test keeps equal to
// what buildCollection makes of the Swagger file.
const committed = () =>
  JSON.parse(readFileSync(docs('patient-access.postman_collection.json'), 'utf8')) as Collection;
const requests = (items: Item[]): Item[] =>
  items.flatMap((item) => (item.item ? requests(item.item) : [item]));

describe('docs/postman', () => {
  // `npx vitest run -u --project contract-tests src/postman` rewrites the files from the Swagger.
  test('holds the collection and environments built from the Swagger file', async () => {
    await expect(json(buildCollection(swaggerYaml))).toMatchFileSnapshot(
      docs('patient-access.postman_collection.json'),
    );
    await expect(json(mockEnvironment())).toMatchFileSnapshot(
      docs('patient-access-mock.postman_environment.json'),
    );
    await expect(json(nextgenEnvironment())).toMatchFileSnapshot(
      docs('nextgen-office.postman_environment.json'),
    );
  });

  test('has one request per route of the Swagger file, each with a test script', () => {
    const swagger = load(swaggerYaml) as { paths: Record<string, unknown> };
    const documented = Object.keys(swagger.paths).filter(
      (path) => !(path in ROUTES_NOT_YET_IN_COLLECTION),
    );
    const items = requests(committed().item);
    // `/ccda` is under the Swagger's basePath (`{{apiBase}}`), the others under `{{fhirBase}}`.
    const routes = items.map((item) =>
      `${item.request?.url.host[0] === '{{apiBase}}' ? '' : '/fhir/r4'}/${item.request?.url.path.join('/')}`.replace(
        /\/\{\{\w+\}\}$/,
        '/{id}',
      ),
    );
    expect(routes.sort()).toEqual(documented.sort());
    for (const item of items) {
      expect([item.name, item.event?.[0]?.listen]).toEqual([item.name, 'test']);
    }
  });

  test("signs in as the guide's Postman workflow: Authorization Code with PKCE (S256), Basic client authentication", () => {
    const { auth } = committed();
    const settings = Object.fromEntries(auth.oauth2.map(({ key, value }) => [key, value]));
    expect(auth.type).toBe('oauth2');
    expect(settings).toMatchObject({
      grant_type: 'authorization_code_with_pkce',
      challengeAlgorithm: 'S256',
      authUrl: '{{issuer}}/protocol/openid-connect/auth?aud={{fhirBase}}',
      accessTokenUrl: '{{issuer}}/protocol/openid-connect/token',
      redirect_uri: 'https://oauth.pstmn.io/v1/callback',
      clientId: '{{clientId}}',
      clientSecret: '{{clientSecret}}',
      client_authentication: 'header',
      addTokenTo: 'header',
    });
    expect(String(settings.scope).split(' ')).toEqual(
      expect.arrayContaining(['openid', 'fhirUser', 'launch/patient', 'patient/Patient.read']),
    );
  });
});

describe('the Postman collection against the mock', () => {
  let mock: RunningMockServer;

  beforeAll(async () => {
    mock = await startMockServer({ port: 0 });
  });

  afterAll(async () => {
    await mock.close();
  });

  // What Postman's "Get New Access Token" does with the mock environment's settings.
  async function signInAsPostman() {
    const settings = Object.fromEntries(
      committed().auth.oauth2.map(({ key, value }) => [key, String(value)]),
    );
    const environment = mockEnvironment(mock.url) as {
      values: Array<{ key: string; value: string }>;
    };
    const variable = (key: string) => environment.values.find((value) => value.key === key)!.value;
    return getTestTokens({
      target: {
        profile: mockProfile(mock.url),
        client: {
          clientId: variable('clientId'),
          clientSecret: variable('clientSecret'),
          redirectUri: settings.redirect_uri!,
        },
      },
      ...GUIDE_TEST_USER,
      scope: settings.scope!,
    });
  }

  test("issues tokens to the guide's client through Postman's callback, with every scope asked", async () => {
    const tokens = await signInAsPostman();
    expect(tokens.patient?.trim()).toBe('428946492');
    expect(tokens.scope?.split(' ')).toContain('patient/*.read');
  });

  test("passes every request's tests under newman", async () => {
    const tokens = await signInAsPostman();
    const collection = committed();
    collection.variable = collection.variable.map((variable) =>
      variable.key === 'accessToken' ? { ...variable, value: tokens.accessToken } : variable,
    );
    const summary = await runNewman({
      collection: collection as unknown as NewmanRunOptions['collection'],
      environment: mockEnvironment(mock.url) as NewmanRunOptions['environment'],
      timeoutRequest: 10_000,
    });
    const failures = summary.run.failures.map(
      (failure) => `${failure.source?.name ?? '?'}: ${failure.error.message}`,
    );
    expect(failures).toEqual([]);
    // The mock's records hold every type, so every read finds an id and answers 200: none may
    // take the script's 404 branch (meant for a real account without such data).
    const notFoundReads = summary.run.executions.flatMap((execution) =>
      (execution.assertions ?? [])
        .map((assertion) => assertion.assertion)
        .filter((name) => name.includes('id was found before this request')),
    );
    expect(notFoundReads).toEqual([]);
    expect(summary.run.executions).toHaveLength(requests(collection.item).length);
    expect(summary.run.stats.assertions.total).toBeGreaterThanOrEqual(
      2 * requests(collection.item).length,
    );
  }, 60_000);
});

function runNewman(options: NewmanRunOptions): Promise<NewmanRunSummary> {
  return new Promise((resolve, reject) => {
    newman.run(options, (error, summary) => (error ? reject(error) : resolve(summary)));
  });
}
