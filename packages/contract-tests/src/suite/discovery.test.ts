import { discoverFromFhirBase, discoverFromIssuer } from '@patient-access/auth-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { suiteContext } from './support/context.js';

const context = await suiteContext('discovery');
const { profile } = context.target;

async function getJson(check: string, url: string): Promise<Record<string, unknown>> {
  const response = await context.fetch(check)(url, { headers: { accept: 'application/json' } });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

describe('OpenID Connect discovery (/.well-known/openid-configuration)', () => {
  let oidc: Record<string, unknown>;
  beforeAll(async () => {
    oidc = await getJson(
      'discovery/openid-configuration',
      `${profile.issuer}/.well-known/openid-configuration`,
    );
  });

  test('names the realm the client uses as its issuer', () => {
    expect(oidc.issuer).toBe(profile.issuer);
  });

  test('lists the authorization, token, JWKS, userinfo, revocation and introspection endpoints', () => {
    expect(oidc).toMatchObject({
      authorization_endpoint: profile.authorizationEndpoint,
      token_endpoint: profile.tokenEndpoint,
      jwks_uri: profile.jwksUri,
      userinfo_endpoint: profile.userinfoEndpoint,
      revocation_endpoint: profile.revocationEndpoint,
      introspection_endpoint: profile.introspectionEndpoint,
    });
  });

  test('supports the authorization code response type', () => {
    expect(oidc.response_types_supported).toContain('code');
  });

  test('supports the authorization_code and refresh_token grants', () => {
    expect(oidc.grant_types_supported).toEqual(
      expect.arrayContaining(['authorization_code', 'refresh_token']),
    );
  });

  test('signs ID tokens with RS256', () => {
    expect(oidc.id_token_signing_alg_values_supported).toContain('RS256');
  });

  test('supports S256 PKCE challenges', () => {
    expect(oidc.code_challenge_methods_supported).toContain('S256');
  });

  test('accepts client_secret_basic at the token endpoint', () => {
    expect(oidc.token_endpoint_auth_methods_supported).toContain('client_secret_basic');
  });

  test('resolves through the auth core to the profile the client is configured with', async () => {
    const discovered = await discoverFromIssuer(profile.issuer, {
      fhirBaseUrl: profile.fhirBaseUrl,
      fetch: context.fetch('discovery/auth-core-issuer'),
    });
    expect({ ...discovered, name: profile.name }).toEqual({ ...profile });
  });
});

describe('SMART configuration ({FHIR base}/.well-known/smart-configuration)', () => {
  let smart: Record<string, unknown>;
  let oidc: Record<string, unknown>;
  beforeAll(async () => {
    smart = await getJson(
      'discovery/smart-configuration',
      `${profile.fhirBaseUrl}/.well-known/smart-configuration`,
    );
    const response = await fetch(`${profile.issuer}/.well-known/openid-configuration`);
    oidc = (await response.json()) as Record<string, unknown>;
  });

  // SMART App Launch 2.x: servers SHALL support S256 and SHALL NOT support plain.
  // https://hl7.org/fhir/smart-app-launch/conformance.html#metadata
  test('advertises S256 as its only PKCE method', () => {
    expect(smart.code_challenge_methods_supported).toEqual(['S256']);
  });

  test('lists the same issuer and endpoints as the OpenID Connect document', () => {
    const fields = ['issuer', 'authorization_endpoint', 'token_endpoint', 'jwks_uri'];
    for (const optional of ['revocation_endpoint', 'introspection_endpoint', 'userinfo_endpoint']) {
      if (smart[optional] !== undefined && oidc[optional] !== undefined) fields.push(optional);
    }
    const pick = (document: Record<string, unknown>) =>
      Object.fromEntries(fields.map((field) => [field, document[field]]));
    expect(pick(smart)).toEqual(pick(oidc));
  });

  test('declares standalone launch with patient context and patient permissions', () => {
    expect(smart.capabilities).toEqual(
      expect.arrayContaining([
        'launch-standalone',
        'context-standalone-patient',
        'permission-patient',
      ]),
    );
  });

  test('declares confidential symmetric clients and OpenID Connect sign-on', () => {
    expect(smart.capabilities).toEqual(
      expect.arrayContaining(['client-confidential-symmetric', 'sso-openid-connect']),
    );
  });

  test('resolves through the auth core to the profile the client is configured with', async () => {
    const discovered = await discoverFromFhirBase(profile.fhirBaseUrl, {
      fetch: context.fetch('discovery/auth-core-fhir-base'),
    });
    expect(discovered).toMatchObject({
      issuer: profile.issuer,
      authorizationEndpoint: profile.authorizationEndpoint,
      tokenEndpoint: profile.tokenEndpoint,
      jwksUri: profile.jwksUri,
      fhirBaseUrl: profile.fhirBaseUrl,
    });
  });
});

describe('CapabilityStatement (GET {FHIR base}/metadata)', () => {
  let capability: Record<string, unknown>;
  beforeAll(async () => {
    capability = await getJson('discovery/capability-statement', `${profile.fhirBaseUrl}/metadata`);
  });

  test('is a FHIR R4 (4.0.1) CapabilityStatement', () => {
    expect(capability).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1' });
  });

  test('declares read for Patient', () => {
    const rest = (
      capability.rest as Array<{
        resource?: Array<{ type: string; interaction?: Array<{ code: string }> }>;
      }>
    )[0];
    const patient = rest?.resource?.find((resource) => resource.type === 'Patient');
    expect(patient?.interaction?.map((interaction) => interaction.code)).toContain('read');
  });
});
