import * as oauth from 'oauth4webapi';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { beforeAll, describe, expect, test } from 'vitest';
import { signInHeadless } from '../sign-in.js';
import { suiteContext } from './support/context.js';

const context = await suiteContext('jwt-clients');
const { target } = context;
const { profile } = target;
const PATIENT = '428946492';

/**
 * A private_key_jwt client to run a flow with: registered at the mock's test controls, or, on the
 * real target, the one the environment names (its id and private JWK), if any.
 */
interface AsymmetricClient {
  clientId: string;
  privateKey: CryptoKey;
  kid: string;
}

async function mockClient(metadata: Record<string, unknown>): Promise<AsymmetricClient> {
  const { privateKey, publicKey } = await generateKeyPair('ES384');
  const kid = crypto.randomUUID();
  const jwk = { ...(await exportJWK(publicKey)), kid, use: 'sig', alg: 'ES384' };
  const clientId = `contract-${crypto.randomUUID()}`;
  const response = await fetch(`${new URL(profile.issuer).origin}/__admin/clients`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_id: clientId,
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [jwk] },
      ...metadata,
    }),
  });
  expect(response.status).toBe(201);
  return { clientId, privateKey, kid };
}

async function realClient(idVariable: string, keyVariable: string) {
  const clientId = process.env[idVariable];
  const key = process.env[keyVariable];
  if (!clientId || !key) return undefined;
  const jwk = JSON.parse(key) as JWK;
  const privateKey = (await importJWK(jwk, jwk.alg ?? 'RS384')) as CryptoKey;
  return { clientId, privateKey, kid: jwk.kid ?? '' };
}

const insecure = { [oauth.allowInsecureRequests]: target.kind === 'mock' };
let as: oauth.AuthorizationServer;

beforeAll(async () => {
  const issuer = new URL(profile.issuer);
  as = await oauth.processDiscoveryResponse(
    issuer,
    await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...insecure }),
  );
});

async function fhirRead(accessToken: string, path: string): Promise<Response> {
  return fetch(`${profile.fhirBaseUrl}/${path}`, {
    headers: { authorization: `Bearer ${accessToken}`, accept: 'application/fhir+json' },
  });
}

const backend =
  target.kind === 'mock'
    ? await mockClient({ grant_types: ['client_credentials'], scope: 'system/*.read' })
    : await realClient('NGO_BACKEND_CLIENT_ID', 'NGO_BACKEND_PRIVATE_JWK');

describe.skipIf(backend === undefined)(
  `SMART Backend Services: client_credentials with private_key_jwt${backend ? '' : ' (skipped: the real target needs NGO_BACKEND_CLIENT_ID and NGO_BACKEND_PRIVATE_JWK)'}`,
  () => {
    test('a backend service gets a system token with oauth4webapi and reads a patient with it', async () => {
      if (!backend) return;
      const client: oauth.Client = { client_id: backend.clientId };
      const response = await oauth.clientCredentialsGrantRequest(
        as,
        client,
        oauth.PrivateKeyJwt({ key: backend.privateKey, kid: backend.kid }),
        { scope: 'system/Patient.read system/Observation.read' },
        insecure,
      );
      const tokens = await oauth.processClientCredentialsResponse(as, client, response);
      expect(tokens.token_type.toLowerCase()).toBe('bearer');
      expect(tokens.refresh_token).toBeUndefined();
      const patient = await fhirRead(tokens.access_token, `Patient/${PATIENT}`);
      expect(patient.status).toBe(200);
      expect(((await patient.json()) as { id: string }).id).toBe(PATIENT);
      const observations = await fhirRead(tokens.access_token, `Observation?patient=${PATIENT}`);
      expect(observations.status).toBe(200);
    });

    test('a replayed client assertion is refused', async () => {
      if (!backend) return;
      const client: oauth.Client = { client_id: backend.clientId };
      let captured = '';
      const clientAuth = oauth.PrivateKeyJwt({ key: backend.privateKey, kid: backend.kid });
      const capture: oauth.ClientAuth = async (server, metadata, body, headers) => {
        await clientAuth(server, metadata, body, headers);
        captured = body.get('client_assertion') ?? '';
      };
      await oauth.clientCredentialsGrantRequest(
        as,
        client,
        capture,
        { scope: 'system/Patient.read' },
        insecure,
      );
      const replay: oauth.ClientAuth = (_server, _metadata, body) => {
        body.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
        body.set('client_assertion', captured);
      };
      const response = await oauth.clientCredentialsGrantRequest(
        as,
        client,
        replay,
        { scope: 'system/Patient.read' },
        insecure,
      );
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toBe('invalid_client');
    });
  },
);

const patientApp =
  target.kind === 'mock'
    ? await mockClient({
        redirect_uris: [target.client.redirectUri],
        grant_types: ['authorization_code', 'refresh_token'],
      })
    : await realClient('NGO_ASYMMETRIC_CLIENT_ID', 'NGO_ASYMMETRIC_PRIVATE_JWK');

describe.skipIf(patientApp === undefined)(
  `SMART confidential asymmetric patient app${patientApp ? '' : ' (skipped: the real target needs NGO_ASYMMETRIC_CLIENT_ID and NGO_ASYMMETRIC_PRIVATE_JWK)'}`,
  () => {
    test('signs in, exchanges the code with private_key_jwt through oauth4webapi, refreshes and reads the record', async () => {
      if (!patientApp) return;
      const client: oauth.Client = { client_id: patientApp.clientId };
      const clientAuth = oauth.PrivateKeyJwt({ key: patientApp.privateKey, kid: patientApp.kid });
      const signedIn = await signInHeadless({
        profile,
        client: { clientId: patientApp.clientId, redirectUri: target.client.redirectUri },
        username: target.username,
        password: target.password,
        scope:
          'openid fhirUser launch/patient offline_access patient/Patient.read patient/Observation.rs',
      });
      const callback = oauth.validateAuthResponse(
        as,
        client,
        new URL(signedIn.callbackUrl),
        signedIn.state,
      );
      const response = await oauth.authorizationCodeGrantRequest(
        as,
        client,
        clientAuth,
        callback,
        target.client.redirectUri,
        signedIn.request.pkce.verifier,
        insecure,
      );
      const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, {
        ...(signedIn.request.nonce ? { expectedNonce: signedIn.request.nonce } : {}),
      });
      const patient = (tokens as { patient?: string }).patient?.trim();
      expect(patient).toBe(PATIENT);
      expect(tokens.refresh_token).toBeTypeOf('string');
      const refreshed = await oauth.processRefreshTokenResponse(
        as,
        client,
        await oauth.refreshTokenGrantRequest(
          as,
          client,
          clientAuth,
          tokens.refresh_token ?? '',
          insecure,
        ),
      );
      const read = await fhirRead(refreshed.access_token, `Patient/${PATIENT}`);
      expect(read.status).toBe(200);
      const search = await fhirRead(refreshed.access_token, `Observation?patient=${PATIENT}`);
      expect(search.status).toBe(200);
    });
  },
);
