export * from './errors.js';
export * from './pkce.js';
export * from './scopes.js';
export type { RequestOptions } from './transport.js';
export {
  DEFAULT_TIMEOUT_MS,
  isJsonObject,
  isLoopback,
  parseJson,
  readJson,
  typedFetch,
  withDeadline,
} from './transport.js';
export { assertEndpoint } from './oauth-call.js';
export * from './server-profile.js';
export * from './client-config.js';
export * from './authorization-request.js';
export * from './token-response.js';
export * from './token.js';
export * from './id-token.js';
export * from './token-session.js';
export * from './fhir-client.js';
