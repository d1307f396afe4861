export * from './errors.js';
export * from './pkce.js';
export * from './scopes.js';
