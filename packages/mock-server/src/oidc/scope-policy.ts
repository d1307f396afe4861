import { parseScope, type Scope } from '@patient-access/auth-core';
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

/**
 * Parses a requested `scope` and returns the tokens the realm does not know (invalid syntax, or a
 * resource type without scopes), which Keycloak refuses with `invalid_scope`.
 */
export function unknownScopes(scope: string): { scopes: Scope[]; unknown: string[] } {
  const scopes: Scope[] = [];
  const unknown: string[] = [];
  for (const token of new Set(scope.split(' ').filter(Boolean))) {
    try {
      const parsed = parseScope(token);
      if (parsed.kind === 'resource' && parsed.resourceType !== '*') {
        if (!knownResourceTypes().has(parsed.resourceType.toLowerCase())) {
          unknown.push(token);
          continue;
        }
      }
      scopes.push(parsed);
    } catch {
      unknown.push(token);
    }
  }
  return { scopes, unknown };
}
