import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import {
  NEXTGEN_PRODUCTION,
  discoverFromFhirBase,
  discoverFromIssuer,
  mockProfile,
} from './server-profile.js';
import { fakeFetch, html, json } from './test-support/fake-fetch.js';

function fixture(name: string): Record<string, unknown> {
  const path = fileURLToPath(new URL(`../../mock-server/spec/${name}`, import.meta.url));
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

const SMART = `GET ${NEXTGEN_PRODUCTION.fhirBaseUrl}/.well-known/smart-configuration`;
const OIDC = `GET ${NEXTGEN_PRODUCTION.issuer}/.well-known/openid-configuration`;

describe('discoverFromFhirBase', () => {
  test("builds NextGen's profile from its captured smart-configuration", async () => {
    const server = fakeFetch({
      [SMART]: () => json(fixture('nextgen-office-r4-smart-configuration.json')),
    });
    const profile = await discoverFromFhirBase(`${NEXTGEN_PRODUCTION.fhirBaseUrl}/`, {
      fetch: server.fetch,
      name: 'NextGen Office',
    });
    const { userinfoEndpoint: _u, endSessionEndpoint: _e, ...expected } = NEXTGEN_PRODUCTION;
    expect(profile).toEqual(expected);
  });

  test('fails with ERR_DISCOVERY and the status when the document is missing', async () => {
    const server = fakeFetch({ [SMART]: () => json({ error: 'not found' }, 404) });
    await expect(
      discoverFromFhirBase(NEXTGEN_PRODUCTION.fhirBaseUrl, { fetch: server.fetch }),
    ).rejects.toMatchObject({ code: 'ERR_DISCOVERY', status: 404 });
  });

  test('fails with ERR_DISCOVERY when the document is an HTML page', async () => {
    const server = fakeFetch({
      [SMART]: () => new Response('<html></html>', { headers: { 'content-type': 'text/html' } }),
    });
    await expect(
      discoverFromFhirBase(NEXTGEN_PRODUCTION.fhirBaseUrl, { fetch: server.fetch }),
    ).rejects.toMatchObject({ code: 'ERR_DISCOVERY' });
  });

  test('fails with ERR_DISCOVERY when the document has no jwks_uri', async () => {
    const { jwks_uri: _omitted, ...document } = fixture(
      'nextgen-office-r4-smart-configuration.json',
    );
    const server = fakeFetch({ [SMART]: () => json(document) });
    await expect(
      discoverFromFhirBase(NEXTGEN_PRODUCTION.fhirBaseUrl, { fetch: server.fetch }),
    ).rejects.toMatchObject({ code: 'ERR_DISCOVERY' });
  });

  test('passes a network failure through as ERR_NETWORK', async () => {
    await expect(
      discoverFromFhirBase(NEXTGEN_PRODUCTION.fhirBaseUrl, { fetch: fakeFetch({}).fetch }),
    ).rejects.toMatchObject({ code: 'ERR_NETWORK' });
  });
});

describe('discoverFromIssuer', () => {
  test("builds NextGen's profile from its captured OpenID configuration", async () => {
    const server = fakeFetch({
      [OIDC]: () => json(fixture('nextgen-office-openid-configuration.json')),
    });
    const profile = await discoverFromIssuer(NEXTGEN_PRODUCTION.issuer, {
      fetch: server.fetch,
      name: 'NextGen Office',
    });
    expect(profile).toEqual(NEXTGEN_PRODUCTION);
  });

  test('rejects a document naming another issuer with ERR_ISSUER_MISMATCH', async () => {
    const server = fakeFetch({
      [OIDC]: () =>
        json({
          ...fixture('nextgen-office-openid-configuration.json'),
          issuer: 'https://evil.example',
        }),
    });
    await expect(
      discoverFromIssuer(NEXTGEN_PRODUCTION.issuer, { fetch: server.fetch }),
    ).rejects.toMatchObject({ code: 'ERR_ISSUER_MISMATCH', actual: 'https://evil.example' });
  });

  test('fails with ERR_DISCOVERY on an HTML 502', async () => {
    const server = fakeFetch({ [OIDC]: () => html(502) });
    await expect(
      discoverFromIssuer(NEXTGEN_PRODUCTION.issuer, { fetch: server.fetch }),
    ).rejects.toMatchObject({ code: 'ERR_DISCOVERY', status: 502 });
  });

  test('asks for the FHIR base of an issuer it does not know', async () => {
    await expect(
      discoverFromIssuer('https://idp.example/realms/other', { fetch: fakeFetch({}).fetch }),
    ).rejects.toMatchObject({ code: 'ERR_DISCOVERY' });
  });
});

describe('mockProfile', () => {
  test('places the realm and the FHIR base under the origin', () => {
    const profile = mockProfile('http://127.0.0.1:8080/');
    expect(profile.issuer).toBe('http://127.0.0.1:8080/auth/realms/nextgen');
    expect(profile.fhirBaseUrl).toBe('http://127.0.0.1:8080/api/fhir/r4');
    expect(profile.tokenEndpoint).toBe(
      'http://127.0.0.1:8080/auth/realms/nextgen/protocol/openid-connect/token',
    );
  });
});
