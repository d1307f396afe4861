import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { OperationOutcome } from '@medplum/fhirtypes';
import { fixtureApp, FHIR_PREFIX } from './test-support/fixture-app.js';
import { ANNA_ID, DAVID } from './test-support/fixture-dataset.js';
import type { FakeVerifier } from './test-support/fake-verifier.js';

let app: FastifyInstance;
let verifier: FakeVerifier;
let token: string;

beforeAll(async () => {
  ({ app, verifier } = await fixtureApp());
  token = verifier.grant('openid patient/*.read');
});
afterAll(() => app.close());

function request(path: string, options: Omit<InjectOptions, 'url'> & { token?: string } = {}) {
  const { token: bearer, headers, ...rest } = options;
  return app.inject({
    method: 'GET',
    ...rest,
    url: `${FHIR_PREFIX}/${path}`,
    headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...headers },
  });
}

function issue(body: string) {
  return (JSON.parse(body) as OperationOutcome).issue?.[0];
}

describe('GET {type}/{id}', () => {
  test('returns the fixture Patient as application/fhir+json', async () => {
    const response = await request('Patient/428946492', { token });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    expect(response.json()).toEqual(DAVID);
  });

  test('returns a resource of the patient record', async () => {
    const response = await request('Condition/PL-1', { token });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ resourceType: 'Condition', id: 'PL-1' });
  });

  test('answers 404 with HAPI text for an unknown id', async () => {
    const response = await request('Condition/123', { token });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    expect(issue(response.body)).toMatchObject({
      code: 'not-found',
      diagnostics: 'Resource Condition/123 is not known',
    });
  });

  test('answers 401 for a resource of another patient record, never its data', async () => {
    const response = await request('Condition/PL-9', { token });
    expect(response.statusCode).toBe(401);
    expect(issue(response.body)).toMatchObject({
      diagnostics: 'Resource not authorized to be viewed by this user',
    });
    expect(response.body).not.toContain(ANNA_ID);
  });

  test('answers 401 for another patient, with a Bearer challenge naming no token error', async () => {
    const response = await request(`Patient/${ANNA_ID}`, { token });
    expect(response.statusCode).toBe(401);
    expect(issue(response.body)?.diagnostics).toBe(
      'Resource not authorized to be viewed by this user',
    );
    expect(response.headers['www-authenticate']).toBe('Bearer realm="nextgen"');
  });

  test('answers 404 for an unknown resource type', async () => {
    const response = await request('Widget/1', { token });
    expect(response.statusCode).toBe(404);
    expect(issue(response.body)?.diagnostics).toMatch(/^Unknown resource type 'Widget'/);
  });

  test('reads shared resources with a token granting only Patient', async () => {
    const narrow = verifier.grant('patient/Patient.read');
    expect((await request('Practitioner/pr-1', { token: narrow })).statusCode).toBe(200);
    expect((await request('Organization/1673497', { token: narrow })).statusCode).toBe(200);
    expect((await request('Medication/med-1', { token: narrow })).statusCode).toBe(200);
  });
});

describe('GET Person/{id}', () => {
  test('returns the signed-in account', async () => {
    const response = await request('Person/4007449', { token });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ resourceType: 'Person', id: '4007449' });
  });

  test('answers 401 for another account', async () => {
    expect((await request('Person/4007450', { token })).statusCode).toBe(401);
  });
});

describe('the hapi-forbidden-403 quirk', () => {
  let stock: Awaited<ReturnType<typeof fixtureApp>>;
  beforeAll(async () => {
    stock = await fixtureApp(undefined, new Set(['hapi-forbidden-403']));
  });
  afterAll(() => stock.app.close());

  test("answers HAPI's stock 403 for another patient, without a challenge", async () => {
    const response = await stock.app.inject({
      url: `${FHIR_PREFIX}/Patient/${ANNA_ID}`,
      headers: { authorization: `Bearer ${stock.verifier.grant('patient/*.read')}` },
    });
    expect(response.statusCode).toBe(403);
    expect(issue(response.body)).toMatchObject({
      code: 'forbidden',
      diagnostics: `Access denied by rule: Patient/${ANNA_ID} is outside the patient compartment of this token`,
    });
    expect(response.headers['www-authenticate']).toBeUndefined();
  });

  test('still answers 401 invalid_token for an unknown token', async () => {
    const response = await stock.app.inject({
      url: `${FHIR_PREFIX}/Patient/428946492`,
      headers: { authorization: 'Bearer not-a-token' },
    });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toContain('error="invalid_token"');
  });
});

describe('scopes', () => {
  test('answer 401 insufficient_scope for a resource type the scopes do not grant', async () => {
    const response = await request('Condition/PL-1', {
      token: verifier.grant('patient/Patient.read'),
    });
    expect(response.statusCode).toBe(401);
    expect(issue(response.body)?.diagnostics).toBe(
      'Resource not authorized to be viewed by this user',
    );
    expect(response.headers['www-authenticate']).toMatch(
      /^Bearer realm="nextgen", error="insufficient_scope", error_description="[^"]*Condition"$/,
    );
  });

  test('accept a lower-case resource name as NextGen does', async () => {
    const response = await request('Condition/PL-1', {
      token: verifier.grant('patient/condition.read'),
    });
    expect(response.statusCode).toBe(200);
  });

  test('accept a SMART v2 read scope', async () => {
    const response = await request('Condition/PL-1', {
      token: verifier.grant('patient/Condition.rs'),
    });
    expect(response.statusCode).toBe(200);
  });

  test('refuse a search under a v2 scope without the s permission', async () => {
    const response = await request('Condition?patient=428946492', {
      token: verifier.grant('patient/Condition.r'),
    });
    expect(response.statusCode).toBe(401);
  });

  test('filter a search by a v2 granular category restriction', async () => {
    const granular = verifier.grant(
      'patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory',
    );
    const response = await request('Observation?patient=428946492', { token: granular });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ total: 3 });
  });

  test('filter a granular search even after the same search ran unrestricted', async () => {
    const query = 'Observation?patient=428946492&_count=50';
    const unrestricted = await request(query, { token });
    expect(unrestricted.json().total).toBeGreaterThan(3);
    const granular = verifier.grant(
      'patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory',
    );
    expect((await request(query, { token: granular })).json()).toMatchObject({ total: 3 });
  });

  test('refuse reading a resource outside a v2 granular restriction', async () => {
    const granular = verifier.grant('patient/Observation.rs?category=laboratory');
    expect((await request('Observation/VS-0', { token: granular })).statusCode).toBe(401);
    expect((await request('Observation/LR-0', { token: granular })).statusCode).toBe(200);
  });
});

describe('bearer tokens', () => {
  test('answer 401 with a bare Bearer challenge when the token is missing', async () => {
    const response = await request('Patient/428946492');
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="nextgen"');
    expect(issue(response.body)?.code).toBe('login');
  });

  test('answer 401 invalid_token for a header that is not a Bearer token', async () => {
    const response = await request('Patient/428946492', {
      headers: { authorization: 'Basic Zm9vOmJhcg==' },
    });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(
      /^Bearer realm="nextgen", error="invalid_token"/,
    );
  });

  test.each(['malformed', 'expired', 'revoked', 'invalid'] as const)(
    'answer 401 invalid_token for a %s token',
    async (reason) => {
      const response = await request('Patient/428946492', { token: verifier.refuse(reason) });
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toMatch(/error="invalid_token"/);
      expect(issue(response.body)?.diagnostics).toContain(reason);
    },
  );
});

describe('writes', () => {
  test.each([
    ['POST', 'Condition'],
    ['PUT', 'Condition/PL-1'],
    ['PATCH', 'Condition/PL-1'],
    ['DELETE', 'Condition/PL-1'],
  ] as const)('answer 405 to %s %s', async (method, path) => {
    const response = await request(path, {
      method,
      token,
      headers: { 'content-type': 'application/fhir+json' },
      payload: '{"resourceType":"Condition"}',
    });
    expect(response.statusCode).toBe(405);
    expect(issue(response.body)?.code).toBe('not-supported');
  });
});

describe('client errors', () => {
  test('keep their status in an OperationOutcome for a body over the limit', async () => {
    const response = await request('Observation/_search', {
      method: 'POST',
      token,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `patient=428946492&x=${'a'.repeat(1_100_000)}`,
    });
    expect(response.statusCode).toBe(413);
    expect(issue(response.body)?.code).toBe('invalid');
  });
});

describe('unknown paths', () => {
  test('answer an OperationOutcome 404, not Fastify JSON', async () => {
    const response = await request('Condition/PL-1/_history/1/extra', { token });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    expect(response.json()).toMatchObject({ resourceType: 'OperationOutcome' });
  });
});

describe('GET metadata', () => {
  test('serves the captured CapabilityStatement rewritten to the request origin', async () => {
    const response = await request('metadata', { headers: { host: 'localhost:7050' } });
    expect(response.statusCode).toBe(200);
    const body = response.json<{
      implementation: { url: string };
      software: { version: string };
    }>();
    expect(body.implementation.url).toBe('http://localhost:7050/api/fhir/r4');
    expect(body.software.version).toBe('5.7.0');
    expect(response.body).not.toContain('nextgenaws.net');
    expect(response.body).toContain(
      'http://localhost:7050/auth/realms/nextgen/protocol/openid-connect/token',
    );
  });

  test('allows any origin', async () => {
    const response = await request('metadata', { headers: { origin: 'https://app.example' } });
    expect(response.headers['access-control-allow-origin']).toBe('*');
  });
});

describe('GET .well-known/smart-configuration', () => {
  test('points at the mock identity endpoints of the request origin', async () => {
    const response = await request('.well-known/smart-configuration', {
      headers: { host: '127.0.0.1:7050' },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json<Record<string, unknown>>();
    const realm = 'http://127.0.0.1:7050/auth/realms/nextgen';
    expect(body).toMatchObject({
      issuer: realm,
      authorization_endpoint: `${realm}/protocol/openid-connect/auth`,
      token_endpoint: `${realm}/protocol/openid-connect/token`,
      jwks_uri: `${realm}/protocol/openid-connect/certs`,
      revocation_endpoint: `${realm}/protocol/openid-connect/revoke`,
      introspection_endpoint: `${realm}/protocol/openid-connect/token/introspect`,
    });
  });

  test('advertises private_key_jwt and client_credentials, as the captured document does', async () => {
    const body = (await request('.well-known/smart-configuration')).json<
      Record<string, string[]>
    >();
    expect(body.grant_types_supported).toEqual([
      'authorization_code',
      'refresh_token',
      'client_credentials',
    ]);
    expect(body.token_endpoint_auth_methods_supported).toEqual([
      'private_key_jwt',
      'client_secret_basic',
      'client_secret_post',
    ]);
    expect(body.capabilities).toContain('client-confidential-asymmetric');
  });
});

describe('CORS', () => {
  test('answers a preflight with the methods and requested headers', async () => {
    const response = await request('Observation', {
      method: 'OPTIONS',
      headers: {
        origin: 'chrome-extension://abc',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe('chrome-extension://abc');
    expect(response.headers['access-control-allow-headers']).toBe('authorization');
    expect(response.headers['access-control-allow-methods']).toContain('GET');
  });

  test('reflects the origin on data routes, errors included', async () => {
    const response = await request('Patient/428946492', {
      headers: { origin: 'https://app.example' },
    });
    expect(response.statusCode).toBe(401);
    expect(response.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(response.headers['access-control-expose-headers']).toContain('WWW-Authenticate');
  });
});

describe('GET Binary/{id}', () => {
  test('returns the Binary resource as FHIR JSON when asked for it', async () => {
    const response = await request('Binary/note-1', {
      token,
      headers: { accept: 'application/fhir+json' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    expect(response.json()).toMatchObject({ resourceType: 'Binary', contentType: 'text/plain' });
  });

  test('returns the raw content with its content type for another Accept', async () => {
    const response = await request('Binary/note-1', { token, headers: { accept: '*/*' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain');
    expect(response.body).toBe('Patient doing well.');
  });

  test('answers 401 without a DocumentReference or Binary scope', async () => {
    const response = await request('Binary/note-1', {
      token: verifier.grant('patient/Patient.read'),
    });
    expect(response.statusCode).toBe(401);
  });
});
