export { buildApp, type AppDependencies } from './app.js';
export { startMockServer, type RunningMockServer } from './server.js';
export {
  DEFAULT_CONFIG,
  DEFAULT_PORT,
  DEFAULT_QUIRKS,
  EXTENSION_CLIENT,
  QUIRKS,
  RATE_LIMIT_WHEN_ON,
  YOUR_HEALTH_FILE_CLIENT,
  parseQuirks,
  resolveConfig,
  type AccountConfig,
  type ClientRegistration,
  type Lifetimes,
  type LockoutConfig,
  type LogFormat,
  type LogLevel,
  type MockConfig,
  type Quirk,
  type RateLimitConfig,
} from './config.js';
export { AdjustableClock, epochSeconds, type Clock } from './clock.js';
export {
  InvalidTokenError,
  type AccessGrant,
  type AccessTokenVerifier,
  type InvalidTokenReason,
} from './access.js';
export { type Fault } from './faults.js';
export { FAULT_ROUTES, FHIR_PATH, REALM, REALM_PATH, type FaultRoute } from './routes.js';
export { realmUrls, type RealmUrls } from './urls.js';
export type { TokenResponse } from './oidc/issue.js';
