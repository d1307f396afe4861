import { parseScope, parseScopes, type Scope } from '@patient-access/auth-core';
import { supportedScopes } from './discovery.js';

let resourceTypes: ReadonlySet<string> | undefined;

/**
 * The resource types the realm has scopes for (lower-cased, since NextGen accepts
 * `patient/careplan.read` for `CarePlan`), taken from the captured `scopes_supported`.
 */
function knownResourceTypes(): ReadonlySet<string> {
  resourceTypes ??= new Set(
    supportedScopes().flatMap((raw) => {
      try {
        const scope = parseScope(raw);
        return scope.kind === 'resource' ? [scope.resourceType.toLowerCase()] : [];
      } catch {
        return [];
      }
    }),
  );
  return resourceTypes;
}

function isKnown(scope: Scope): boolean {
  return (
    scope.kind !== 'resource' ||
    scope.resourceType === '*' ||
    knownResourceTypes().has(scope.resourceType.toLowerCase())
  );
}

/**
 * The scopes of a requested `scope`, parsed, without duplicates; `undefined` when the realm does
 * not know one of them (invalid syntax, or a resource type without scopes), which Keycloak
 * refuses with `invalid_scope`.
 */
export function knownScopes(scope: string): Scope[] | undefined {
  let scopes: Scope[];
  try {
    scopes = parseScopes(scope);
  } catch {
    return undefined;
  }
  return scopes.every(isKnown) ? scopes : undefined;
}
