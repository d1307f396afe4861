import { ScopeError } from './errors.js';

/** Whose data a resource scope reaches. */
export type ScopeContext = 'patient' | 'user' | 'system';

/** The SMART v2 interactions; a v1 `read` is `rs`, a v1 `write` is `cud`, `*` is all five. */
export interface ScopePermissions {
  c: boolean;
  r: boolean;
  u: boolean;
  d: boolean;
  s: boolean;
}

/**
 * A resource scope such as `patient/Condition.read` (v1) or `patient/Condition.rs` (v2), with an
 * optional v2 granular restriction (`patient/Observation.rs?category=...|laboratory`).
 * @see https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html#scopes-for-requesting-fhir-resources
 */
export interface ResourceScope {
  kind: 'resource';
  raw: string;
  context: ScopeContext;
  /** As written (`careplan` stays `careplan`); `*` for every type. Compare with {@link sameResourceType}. */
  resourceType: string;
  version: 1 | 2;
  permissions: ScopePermissions;
  /** v2 granular search-parameter restrictions, e.g. `{ category: 'system|code' }`. */
  restriction: Readonly<Record<string, string>> | undefined;
}

/** A scope with a fixed meaning: OpenID Connect, SMART launch context or refresh-token scopes. */
export interface NamedScope {
  kind: 'named';
  raw: string;
}

export type Scope = ResourceScope | NamedScope;

/** The interaction a FHIR request needs from a scope. */
export type ScopeInteraction = 'read' | 'search';

/** What the granted scopes allow for one resource type and interaction. */
export type ResourceAccess =
  | { allowed: false }
  /** `restrictions` empty: unrestricted; otherwise the resource must match one of them. */
  | { allowed: true; restrictions: ReadonlyArray<Readonly<Record<string, string>>> };

/**
 * The non-resource scopes that SMART App Launch and OpenID Connect define, plus the Keycloak
 * defaults NextGen's realm advertises.
 */
export const NAMED_SCOPES: ReadonlySet<string> = new Set([
  'openid',
  'fhirUser',
  'profile',
  'email',
  'phone',
  'address',
  'roles',
  'web-origins',
  'microprofile-jwt',
  'offline_access',
  'online_access',
  'launch',
  'launch/patient',
  'launch/encounter',
]);

const RESOURCE_SCOPE =
  /^(patient|user|system)\/(\*|[A-Za-z][A-Za-z0-9]*)\.(read|write|\*|c?r?u?d?s?)(?:\?(.+))?$/;

function permissionsOf(action: string): { version: 1 | 2; permissions: ScopePermissions } {
  if (action === 'read') return { version: 1, permissions: perms('rs') };
  if (action === 'write') return { version: 1, permissions: perms('cud') };
  if (action === '*') return { version: 1, permissions: perms('cruds') };
  return { version: 2, permissions: perms(action) };
}

function perms(letters: string): ScopePermissions {
  return {
    c: letters.includes('c'),
    r: letters.includes('r'),
    u: letters.includes('u'),
    d: letters.includes('d'),
    s: letters.includes('s'),
  };
}

/**
 * Parses one scope token. Throws a {@link ScopeError} for a token that is neither a named scope
 * nor valid resource-scope syntax.
 * @see https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html
 */
export function parseScope(raw: string): Scope {
  if (NAMED_SCOPES.has(raw)) return { kind: 'named', raw };
  const match = RESOURCE_SCOPE.exec(raw);
  if (!match || match[3] === '') {
    throw new ScopeError(raw, `"${raw}" is not a valid SMART scope.`);
  }
  const [, context, resourceType, action, query] = match as unknown as [
    string,
    ScopeContext,
    string,
    string,
    string | undefined,
  ];
  const { version, permissions } = permissionsOf(action);
  let restriction: Record<string, string> | undefined;
  if (query !== undefined) {
    if (version !== 2) {
      throw new ScopeError(raw, `"${raw}": only SMART v2 scopes may carry a query restriction.`);
    }
    restriction = Object.fromEntries(new URLSearchParams(query));
  }
  return { kind: 'resource', raw, context, resourceType, version, permissions, restriction };
}

/**
 * Splits a space-delimited `scope` string and parses each token, in order, without duplicates.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.3
 */
export function parseScopes(scope: string | undefined | null): Scope[] {
  const seen = new Set<string>();
  const scopes: Scope[] = [];
  for (const token of (scope ?? '').split(' ')) {
    if (token === '' || seen.has(token)) continue;
    seen.add(token);
    scopes.push(parseScope(token));
  }
  return scopes;
}

/**
 * Joins scopes (parsed or raw) into the space-delimited `scope` parameter, without duplicates.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.3
 */
export function formatScopes(scopes: Iterable<Scope | string>): string {
  const tokens = new Set<string>();
  for (const scope of scopes) tokens.add(typeof scope === 'string' ? scope : scope.raw);
  return [...tokens].join(' ');
}

/**
 * Builds a resource scope token: `resourceScope('patient', 'Condition')` is
 * `patient/Condition.read`; with `{ version: 2 }` it is `patient/Condition.rs`.
 * @see https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html#scopes-for-requesting-fhir-resources
 */
export function resourceScope(
  context: ScopeContext,
  resourceType: string,
  options: { version?: 1 | 2; permissions?: string } = {},
): string {
  const action = options.version === 2 ? (options.permissions ?? 'rs') : 'read';
  return parseScope(`${context}/${resourceType}.${action}`).raw;
}

/**
 * Whether a scope's resource type names `resourceType`: `*` names all, and names compare
 * case-insensitively, as NextGen accepts `patient/careplan.read` for `CarePlan`.
 */
export function sameResourceType(scopeType: string, resourceType: string): boolean {
  return scopeType === '*' || scopeType.toLowerCase() === resourceType.toLowerCase();
}

/**
 * What `scopes` allow for `interaction` on `resourceType` in `context` (default `patient`).
 * An unrestricted match wins over granular ones.
 * @see https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html#finer-grained-resource-constraints-using-search-parameters
 */
export function resourceAccess(
  scopes: readonly Scope[],
  resourceType: string,
  interaction: ScopeInteraction,
  context: ScopeContext = 'patient',
): ResourceAccess {
  const letter = interaction === 'read' ? 'r' : 's';
  const restrictions: Readonly<Record<string, string>>[] = [];
  let allowed = false;
  for (const scope of scopes) {
    if (scope.kind !== 'resource' || scope.context !== context) continue;
    if (!scope.permissions[letter] || !sameResourceType(scope.resourceType, resourceType)) continue;
    if (!scope.restriction) return { allowed: true, restrictions: [] };
    allowed = true;
    restrictions.push(scope.restriction);
  }
  return allowed ? { allowed: true, restrictions } : { allowed: false };
}

/** Whether `scopes` contain the named scope `name` (`openid`, `offline_access`, ...). */
export function hasScope(scopes: readonly Scope[], name: string): boolean {
  return scopes.some((scope) => scope.raw === name);
}
