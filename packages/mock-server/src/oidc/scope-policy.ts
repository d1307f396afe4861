import {
  parseScope,
  parseScopes,
  type ResourceScope,
  type Scope,
  type ScopePermissions,
} from '@patient-access/auth-core';
import { supportedScopes } from './discovery.js';

/**
 * Who asks for the scopes: a browser sign-in (authorize), a backend service
 * (client_credentials), or `any` (a client's registration, which may hold both kinds).
 */
export type ScopeRequester = 'browser' | 'service' | 'any';

interface Realm {
  named: ReadonlySet<string>;
  /**
   * The realm's resource scopes by `<context>/<type>`, the type lower-cased, since NextGen
   * accepts `patient/careplan.read` for `CarePlan`.
   */
  resources: ReadonlyMap<string, readonly ResourceScope[]>;
  /** The resource types the realm has scopes for, lower-cased. */
  types: ReadonlySet<string>;
}

let realm: Realm | undefined;

function realmScopes(): Realm {
  if (realm) return realm;
  const named = new Set<string>();
  const resources = new Map<string, ResourceScope[]>();
  for (const raw of supportedScopes()) {
    let scope: Scope;
    try {
      scope = parseScope(raw);
    } catch {
      continue;
    }
    if (scope.kind === 'named') {
      named.add(raw);
      continue;
    }
    const key = `${scope.context}/${scope.resourceType.toLowerCase()}`;
    resources.set(key, [...(resources.get(key) ?? []), scope]);
  }
  const types = new Set([...resources.keys()].map((key) => key.slice(key.indexOf('/') + 1)));
  realm = { named, resources, types };
  return realm;
}

const LETTERS = ['c', 'r', 'u', 'd', 's'] as const;

function within(wanted: ScopePermissions, held: ScopePermissions): boolean {
  return LETTERS.every((letter) => !wanted[letter] || held[letter]);
}

/** Every restriction of `held` is also one of `wanted`: `wanted` reads no more than `held`. */
function narrows(wanted: ResourceScope, held: ResourceScope): boolean {
  return Object.entries(held.restriction ?? {}).every(
    ([name, value]) => wanted.restriction?.[name] === value,
  );
}

/**
 * Whether the realm grants `scope`: one of its `scopes_supported` (the resource type matched
 * without case), or a SMART v2 scope that narrows one of them (fewer interactions, more search
 * restrictions, one of the realm's types for a `*` scope), as SMART lets a client ask for less than a scope.
 * @see https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html#finer-grained-resource-constraints-using-search-parameters
 */
function isSupported(scope: Scope): boolean {
  const { named, resources, types } = realmScopes();
  if (scope.kind === 'named') return named.has(scope.raw);
  const type = scope.resourceType.toLowerCase();
  if (!types.has(type)) return false;
  const candidates = [
    ...(resources.get(`${scope.context}/${type}`) ?? []),
    ...(type === '*' ? [] : (resources.get(`${scope.context}/*`) ?? [])),
  ];
  const raw = scope.raw.toLowerCase();
  return candidates.some(
    (held) =>
      held.raw.toLowerCase() === raw ||
      (scope.version === 2 &&
        (held.resourceType === '*' || held.resourceType.toLowerCase() === type) &&
        within(scope.permissions, held.permissions) &&
        narrows(scope, held)),
  );
}

function fitsRequester(scope: Scope, requester: ScopeRequester): boolean {
  if (requester === 'any') return true;
  const system = scope.kind === 'resource' && scope.context === 'system';
  return requester === 'service' ? system : !system;
}

/**
 * The scopes of a requested `scope`, parsed, without duplicates; `undefined` when the realm does
 * not grant one of them, which Keycloak refuses with `invalid_scope`: invalid syntax, a scope
 * not in `scopes_supported` nor a SMART v2 narrowing of one (`patient/Observation.write`,
 * `patient/Observation.cruds`), a `system/` scope asked for by a browser sign-in, or anything
 * but a `system/` scope asked for by a backend service.
 */
export function knownScopes(
  scope: string,
  requester: ScopeRequester = 'browser',
): Scope[] | undefined {
  let scopes: Scope[];
  try {
    scopes = parseScopes(scope);
  } catch {
    return undefined;
  }
  return scopes.every((each) => isSupported(each) && fitsRequester(each, requester))
    ? scopes
    : undefined;
}
