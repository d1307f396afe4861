// The public API, listed name by name: README.md's API table names exactly these (index.test.ts
// compares them). Transport helpers and the oauth4webapi adapters stay internal.
export {
  createPkce,
  pkceChallenge,
  verifyPkce,
  assertPkceVerifier,
  isS256Challenge,
} from './pkce.js';
export type { Pkce } from './pkce.js';
export {
  parseScope,
  parseScopes,
  formatScopes,
  resourceScope,
  resourceAccess,
  hasScope,
  sameResourceType,
} from './scopes.js';
export type {
  Scope,
  ResourceScope,
  NamedScope,
  ScopeContext,
  ScopePermissions,
  ScopeInteraction,
  ResourceAccess,
} from './scopes.js';
export {
  NEXTGEN_PRODUCTION,
  mockProfile,
  discoverFromFhirBase,
  discoverFromIssuer,
} from './server-profile.js';
export type { ServerProfile, DiscoveryOptions, IssuerDiscoveryOptions } from './server-profile.js';
export { assertEndpoint } from './oauth-call.js';
export { basicAuthorization } from './client-config.js';
export type { ClientConfig } from './client-config.js';
export { buildAuthorizationRequest, parseCallback } from './authorization-request.js';
export type {
  AuthorizationRequestInput,
  AuthorizationRequest,
  AuthorizationCallback,
  CallbackExpectations,
} from './authorization-request.js';
export {
  exchangeCode,
  refreshTokens,
  revokeToken,
  introspectToken,
  fetchUserInfo,
} from './token.js';
export type {
  ExchangeCodeInput,
  RefreshTokensInput,
  RevokeTokenInput,
  IntrospectTokenInput,
  UserInfoInput,
  TokenIntrospection,
  UserInfo,
} from './token.js';
export type { SmartTokenSet } from './token-response.js';
export { verifyIdToken } from './id-token.js';
export type { IdTokenClaims, VerifyIdTokenOptions } from './id-token.js';
export { MemoryTokenStorage, TokenSession } from './token-session.js';
export type { TokenStorage, TokenSessionOptions } from './token-session.js';
export { FhirClient } from './fhir-client.js';
export type {
  FhirClientOptions,
  AccessTokenContext,
  FhirRequestOptions,
  FhirPagingOptions,
  FhirSearchParams,
  FhirDocumentOptions,
  FhirDocument,
} from './fhir-client.js';
export type { RequestOptions } from './transport.js';
export {
  AuthCoreError,
  OAuthError,
  FhirError,
  AuthorizationDeniedError,
  StateMismatchError,
  IssuerMismatchError,
  CallbackInvalidError,
  IdTokenError,
  NotSignedInError,
  DiscoveryError,
  ProfileError,
  NetworkError,
  RequestTimeoutError,
  RequestAbortedError,
  ResponseInvalidError,
  InvalidArgumentError,
  PkceError,
  ScopeError,
} from './errors.js';
export type { AuthCoreErrorCode, IdTokenFailure, OAuthErrorBody } from './errors.js';
