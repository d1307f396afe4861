import { randomUUID } from 'node:crypto';
import { hasScope, parseScopes, type Scope } from '@patient-access/auth-core';
import { epochSeconds } from '../clock.js';
import { profileClaims } from './accounts.js';
import type { IdentityContext } from './context.js';
import { signIdToken } from './algorithm-keys.js';
import { signRs256 } from './jwt-signer.js';
import type { Grant } from './sessions/store.js';
import { randomToken } from './sessions/store.js';
import type { RealmUrls } from '../urls.js';

/**
 * A token response with every field NextGen documents, in its JSON types (quirks aside).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 * @see https://hl7.org/fhir/smart-app-launch/app-launch.html#response-5
 */
export interface TokenResponse {
  access_token: string;
  expires_in: number;
  refresh_expires_in: number;
  refresh_token: string;
  token_type: 'Bearer';
  id_token?: string;
  'not-before-policy': number;
  session_state: string;
  scope: string;
  resource: string;
  patient: string;
  /** The `encounter` context: an EHR launch's, or the one chosen for `launch/encounter`. */
  encounter?: string;
  need_patient_banner: boolean | string;
  practice_id: string;
  smart_style_url: string;
  client_type: string;
  subscription_type: string;
}

/**
 * Issues an access token, a rotated refresh token and (with `openid`) an ID token for `grant`
 * with `scope` (the grant's or a narrower one). The two RS256 signatures run concurrently on the
 * thread pool.
 */
export async function issueTokens(
  context: IdentityContext,
  grant: Grant,
  scope: string,
  urls: RealmUrls,
  scopes: readonly Scope[] = parseScopes(scope),
): Promise<TokenResponse> {
  const { store, clock, config } = context;
  const account = context.accounts.byUserId(grant.userId);
  if (!account) throw new Error(`Grant ${grant.id} names an unknown user.`);
  const now = clock.now();
  const iat = epochSeconds(clock);
  const session = store.sessions.get(grant.ssoSessionId);
  const accessExpiresAt = now + config.lifetimes.accessToken * 1000;
  const refreshExpiresAt = grant.offline
    ? now + config.lifetimes.offlineToken * 1000
    : Math.min(now + config.lifetimes.refreshToken * 1000, session?.expiresAt ?? now);
  // Before the first await: the grant of a code exchange is stored with `expiresAt: now`, and a
  // prune that runs while the signatures are pending would otherwise drop it, leaving tokens whose
  // grant is gone (answered as revoked).
  grant.expiresAt = Math.max(grant.expiresAt, accessExpiresAt, refreshExpiresAt);
  const jti = randomUUID();
  const refreshToken = randomToken();
  const fhirUser = `${urls.fhirBase}/Person/${account.personId}`;
  const names = profileClaims(account);
  const keys = await context.keys();
  const exp = Math.floor(accessExpiresAt / 1000);
  // One literal without spreads: spreading into a literal with further properties takes V8's slow
  // property-definition path, which profiled as a large share of an exchange's event-loop time.
  // Claims left `undefined` are not serialised.
  const claims = (
    typ: 'Bearer' | 'ID',
    aud: string,
    only: { scope?: string; patient?: string; nonce?: string },
  ) => ({
    iat,
    auth_time: Math.floor(grant.authTime / 1000),
    iss: urls.issuer,
    sub: account.userId,
    azp: grant.clientId,
    session_state: grant.ssoSessionId,
    sid: grant.ssoSessionId,
    acr: '1',
    jti: typ === 'Bearer' ? jti : randomUUID(),
    exp,
    aud,
    typ,
    scope: only.scope,
    patient: only.patient,
    nonce: only.nonce,
    fhirUser,
    name: names.name,
    given_name: names.given_name,
    family_name: names.family_name,
    preferred_username: names.preferred_username,
    email: names.email,
    email_verified: names.email_verified,
  });
  const accessClaims = claims('Bearer', grant.audience, { scope, patient: grant.patient });
  // No `at_hash` (optional for the code flow): it would serialise the two signatures.
  const idClaims = hasScope(scopes, 'openid')
    ? claims('ID', grant.clientId, { nonce: grant.nonce })
    : undefined;
  const [access, id] = await Promise.all([
    signRs256(accessClaims, keys.signingKey, keys.kid),
    idClaims && signIdToken(context, context.clients.get(grant.clientId), idClaims),
  ]);

  store.accessTokens.set(jti, {
    jti,
    grantId: grant.id,
    scope,
    issuedAt: now,
    expiresAt: accessExpiresAt,
    revoked: false,
  });
  store.refreshTokens.set(refreshToken, {
    id: randomUUID(),
    value: refreshToken,
    grantId: grant.id,
    issuer: urls.issuer,
    scope,
    issuedAt: now,
    expiresAt: refreshExpiresAt,
  });
  session?.clients.add(grant.clientId);

  const styleUrl = urls.smartStyle;
  return {
    access_token: access,
    expires_in: config.lifetimes.accessToken,
    refresh_expires_in: grant.offline ? 0 : Math.round((refreshExpiresAt - now) / 1000),
    refresh_token: refreshToken,
    token_type: 'Bearer',
    ...(id === undefined ? {} : { id_token: id }),
    'not-before-policy': 0,
    session_state: grant.ssoSessionId,
    scope,
    resource: `Person/${account.personId}`,
    patient: context.quirks.has('patient-leading-space') ? ` ${grant.patient}` : grant.patient,
    ...(grant.encounter === undefined ? {} : { encounter: grant.encounter }),
    need_patient_banner: context.quirks.has('need-patient-banner-string') ? 'false' : false,
    practice_id: context.practiceId,
    smart_style_url: context.quirks.has('smart-style-url-spaces') ? ` ${styleUrl} ` : styleUrl,
    client_type: grant.launchKind,
    subscription_type: 'Indefinite',
  };
}
