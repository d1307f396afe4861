import { randomUUID } from 'node:crypto';
import { formatScopes, parseScopes } from '@patient-access/auth-core';
import { epochSeconds } from '../../clock.js';
import type { Client } from '../clients.js';
import type { IdentityContext } from '../context.js';
import { InvalidScope, OAuthError } from '../errors.js';
import { signRs256 } from '../jwt-signer.js';
import type { OAuthParams } from '../params.js';
import { isWithin, knownScopes } from '../scope-policy.js';
import type { RealmUrls } from '../../urls.js';

/** A `client_credentials` token response: Keycloak 17 issues no refresh token for it. */
export interface ServiceTokenResponse {
  access_token: string;
  expires_in: number;
  refresh_expires_in: 0;
  token_type: 'Bearer';
  'not-before-policy': 0;
  scope: string;
}

/**
 * `grant_type=client_credentials` for a client registered with that grant (its Keycloak service
 * account): `system/` scopes only, within the client's registered `scope` when it has one (and
 * that scope when none is asked for); an access token without refresh token, `patient` or
 * `fhirUser`.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4
 * @see https://hl7.org/fhir/smart-app-launch/backend-services.html
 */
export async function exchangeClientCredentials(
  context: IdentityContext,
  client: Client,
  params: OAuthParams,
  urls: RealmUrls,
): Promise<ServiceTokenResponse> {
  // Keycloak 17's TokenEndpoint#clientCredentialsGrant, in its order, words and status (401).
  if (client.isPublic) {
    throw new OAuthError(
      'unauthorized_client',
      'Public client not allowed to retrieve service account',
      401,
    );
  }
  if (!client.grantTypes.has('client_credentials')) {
    throw new OAuthError(
      'unauthorized_client',
      'Client not enabled to retrieve service account',
      401,
    );
  }
  const registered = client.scope === undefined ? undefined : parseScopes(client.scope);
  const requested = params.get('scope');
  const scope =
    requested ??
    formatScopes(
      (registered ?? []).filter((each) => each.kind === 'resource' && each.context === 'system'),
    );
  const scopes = knownScopes(scope, 'service');
  if (scopes === undefined || (registered && !scopes.every((each) => isWithin(each, registered)))) {
    throw new InvalidScope(`Invalid scopes: ${scope}`);
  }

  const { store, clock, config } = context;
  const now = clock.now();
  const expiresAt = now + config.lifetimes.accessToken * 1000;
  const grantId = randomUUID();
  const serviceAccount = `service-account-${client.clientId.toLowerCase()}`;
  store.grants.set(grantId, {
    id: grantId,
    clientId: client.clientId,
    userId: serviceAccount,
    ssoSessionId: '',
    patient: '',
    encounter: undefined,
    launchKind: 'STANDALONE',
    scope,
    offline: false,
    nonce: undefined,
    audience: urls.fhirBase,
    authTime: now,
    revoked: false,
    expiresAt,
  });
  const jti = randomUUID();
  const keys = await context.keys();
  const accessToken = await signRs256(
    {
      exp: Math.floor(expiresAt / 1000),
      iat: epochSeconds(clock),
      jti,
      iss: urls.issuer,
      aud: urls.fhirBase,
      sub: serviceAccount,
      typ: 'Bearer',
      azp: client.clientId,
      acr: '1',
      scope,
      clientId: client.clientId,
      preferred_username: serviceAccount,
    },
    keys.signingKey,
    keys.kid,
  );
  store.accessTokens.set(jti, {
    jti,
    grantId,
    scope,
    issuedAt: now,
    expiresAt,
    revoked: false,
  });
  return {
    access_token: accessToken,
    expires_in: config.lifetimes.accessToken,
    refresh_expires_in: 0,
    token_type: 'Bearer',
    'not-before-policy': 0,
    scope,
  };
}
