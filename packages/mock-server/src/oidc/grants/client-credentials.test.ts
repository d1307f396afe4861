import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { FORM_HEADERS } from '../../../../../test-support/cookie-jar.js';
import {
  FHIR_BASE,
  ISSUER,
  OIDC,
  testApp,
  tokenRequest,
} from '../../test-support/identity-flow.js';
import { JWT_BEARER } from '../client-assertion.js';

let app: FastifyInstance;
let privateKey: CryptoKey;
let jwk: object;

beforeAll(async () => {
  ({ app } = await testApp());
  const pair = await generateKeyPair('RS384');
  privateKey = pair.privateKey;
  jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', use: 'sig', alg: 'RS384' };
});
afterAll(() => app.close());
beforeEach(async () => {
  await app.inject({ method: 'POST', url: '/__admin/reset' });
  for (const metadata of [
    {
      client_id: 'backend',
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [jwk] },
      grant_types: ['client_credentials'],
      scope: 'system/Condition.read system/Observation.rs system/Patient.rs',
    },
    {
      client_id: 'secret-service',
      client_secret: 'service-secret',
      grant_types: ['client_credentials'],
    },
  ]) {
    expect(
      (await app.inject({ method: 'POST', url: '/__admin/clients', payload: metadata })).statusCode,
    ).toBe(201);
  }
});

async function serviceToken(form: Record<string, string> = {}) {
  const assertion = await new SignJWT({ jti: crypto.randomUUID() })
    .setProtectedHeader({ alg: 'RS384', kid: 'k1' })
    .setIssuer('backend')
    .setSubject('backend')
    .setAudience(`${ISSUER}/protocol/openid-connect/token`)
    .setExpirationTime('2m')
    .sign(privateKey);
  return app.inject({
    method: 'POST',
    url: `${OIDC}/token`,
    payload: new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: JWT_BEARER,
      client_assertion: assertion,
      ...form,
    }).toString(),
    headers: FORM_HEADERS,
  });
}

async function fhir(path: string, token: string) {
  return app.inject({ url: `/api/fhir/r4/${path}`, headers: { authorization: `Bearer ${token}` } });
}

describe('POST /protocol/openid-connect/token (client_credentials)', () => {
  test('issues an access token without refresh token to a private_key_jwt backend service', async () => {
    const response = await serviceToken({ scope: 'system/Observation.rs' });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 300,
      refresh_expires_in: 0,
      scope: 'system/Observation.rs',
    });
    expect(body.refresh_token).toBeUndefined();
    expect(body.id_token).toBeUndefined();
    const claims = decodeJwt(body.access_token);
    expect(claims).toMatchObject({
      azp: 'backend',
      aud: FHIR_BASE,
      sub: 'service-account-backend',
    });
    expect(claims.patient).toBeUndefined();
  });

  test('grants the registered system scopes when none is asked for', async () => {
    const body = (await serviceToken()).json();
    expect(body.scope).toBe('system/Condition.read system/Observation.rs system/Patient.rs');
  });

  test('grants a narrower scope of a registered one', async () => {
    const body = (await serviceToken({ scope: 'system/Condition.r' })).json();
    expect(body.scope).toBe('system/Condition.r');
  });

  test('refuses a scope outside the registered ones', async () => {
    const response = await serviceToken({ scope: 'system/Encounter.rs' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: 'invalid_scope',
      error_description: 'Invalid scopes: system/Encounter.rs',
    });
  });

  test('refuses a patient scope', async () => {
    const response = await tokenRequest(
      app,
      { grant_type: 'client_credentials', scope: 'patient/Observation.rs' },
      { clientId: 'secret-service', secret: 'service-secret' },
    );
    expect(response.json().error).toBe('invalid_scope');
  });

  test('serves a secret client registered for the grant', async () => {
    const response = await tokenRequest(
      app,
      { grant_type: 'client_credentials', scope: 'system/Observation.rs' },
      { clientId: 'secret-service', secret: 'service-secret' },
    );
    expect(response.statusCode).toBe(200);
  });

  test("refuses a client not registered for the grant with Keycloak 17's 401", async () => {
    const response = await tokenRequest(app, {
      grant_type: 'client_credentials',
      scope: 'system/Observation.rs',
    });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({
      error: 'unauthorized_client',
      error_description: 'Client not enabled to retrieve service account',
    });
  });

  test('refuses a public client before asking whether it has the grant', async () => {
    const response = await tokenRequest(
      app,
      { grant_type: 'client_credentials', scope: 'system/Observation.rs' },
      { clientId: 'patient-access-extension' },
    );
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({
      error: 'unauthorized_client',
      error_description: 'Public client not allowed to retrieve service account',
    });
  });

  test('reports the token active at introspection, without a patient', async () => {
    const token = (await serviceToken({ scope: 'system/Observation.rs' })).json().access_token;
    const response = await app.inject({
      method: 'POST',
      url: `${OIDC}/token/introspect`,
      payload: new URLSearchParams({ token }).toString(),
      headers: { ...FORM_HEADERS, authorization: `Basic ${btoa('secret-service:service-secret')}` },
    });
    expect(response.json()).toMatchObject({ active: true, client_id: 'backend' });
    expect(response.json().patient).toBeUndefined();
  });
});

describe('FHIR reads with system scopes', () => {
  test('reads any patient within the scope’s types', async () => {
    const token = (await serviceToken({ scope: 'system/Patient.rs system/Observation.rs' })).json()
      .access_token;
    for (const id of ['428946492', '428946523']) {
      const response = await fhir(`Patient/${id}`, token);
      expect(response.statusCode).toBe(200);
      expect(response.json().id).toBe(id);
    }
    const search = await fhir('Observation?patient=428946523&category=vital-signs', token);
    expect(search.statusCode).toBe(200);
    const entries = search.json().entry as Array<{ resource: { subject: { reference: string } } }>;
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((entry) => entry.resource.subject.reference === 'Patient/428946523')).toBe(
      true,
    );
  });

  test('reads a resource by id whoever’s record it is in', async () => {
    const token = (await serviceToken({ scope: 'system/Observation.rs' })).json().access_token;
    const search = await fhir('Observation?patient=428946523', token);
    const id = search.json().entry[0].resource.id as string;
    const response = await fhir(`Observation/${id}`, token);
    expect(response.statusCode).toBe(200);
  });

  test('refuses a type outside the system scopes, as it refuses any token (the Swagger’s 401)', async () => {
    const token = (await serviceToken({ scope: 'system/Observation.rs' })).json().access_token;
    const refused = await fhir('Condition?patient=428946492', token);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().resourceType).toBe('OperationOutcome');
  });

  test('asks a search to name a patient', async () => {
    const token = (await serviceToken({ scope: 'system/Observation.rs' })).json().access_token;
    const response = await fhir('Observation?category=vital-signs', token);
    expect(response.statusCode).toBe(400);
    expect(response.json().resourceType).toBe('OperationOutcome');
  });
});
