import type { Resource } from '@medplum/fhirtypes';
import { badRequest, OperationOutcomeError } from '../outcomes.js';
import type { SearchParameterDefinition } from '../search-parameters.js';
import { type Matcher, splitOr, splitSystem } from './matcher.js';
import { valuesAtAny } from './path.js';

interface Token {
  system: string | undefined;
  code: string | undefined;
}

/** The system/code pairs of an element: a `code`, Coding, CodeableConcept or Identifier. */
export function tokensOf(value: unknown): Token[] {
  if (typeof value === 'string' || typeof value === 'boolean') {
    return [{ system: undefined, code: String(value) }];
  }
  if (value === null || typeof value !== 'object') return [];
  const element = value as Record<string, unknown>;
  if (Array.isArray(element.coding)) return (element.coding as unknown[]).flatMap(tokensOf);
  if (typeof element.code === 'string') {
    return [{ system: element.system as string | undefined, code: element.code }];
  }
  if (typeof element.value === 'string') {
    return [{ system: element.system as string | undefined, code: element.value }];
  }
  return [];
}

function matchesOne(
  candidate: Token,
  wanted: { system: string | undefined; code: string },
  plainCode: boolean,
): boolean {
  // `system|` matches any code in the system; `|code` only codes without one; `code` any system.
  if (wanted.system === undefined) return candidate.code === wanted.code;
  if (wanted.code === '') return candidate.system === wanted.system;
  if (candidate.code !== wanted.code) return false;
  // A bare `code` element (status, gender) has its system fixed by its binding, not in the data.
  if (plainCode && candidate.system === undefined) return true;
  return (candidate.system ?? '') === wanted.system;
}

/**
 * Compiles a token parameter: `code`, `system|code`, `|code` or `system|`, comma-separated
 * alternatives; `:not` negates.
 * @see https://hl7.org/fhir/R4/search.html#token
 */
export function tokenMatcher(
  param: SearchParameterDefinition,
  modifier: string | undefined,
  raw: string,
): Matcher {
  if (modifier !== undefined && modifier !== 'not') {
    throw new OperationOutcomeError(
      badRequest(
        `Unsupported modifier ":${modifier}" on token parameter "${param.name}"`,
        param.name,
      ),
    );
  }
  const wanted = splitOr(raw).map(splitSystem);
  if (wanted.some((token) => token.code === '' && !token.system)) {
    throw new OperationOutcomeError(
      badRequest(`Empty token value for parameter "${param.name}"`, param.name),
    );
  }
  const matches = (resource: Resource): boolean => {
    for (const value of valuesAtAny(resource, param.paths)) {
      const plainCode = typeof value === 'string' || typeof value === 'boolean';
      for (const candidate of tokensOf(value)) {
        if (wanted.some((token) => matchesOne(candidate, token, plainCode))) return true;
      }
    }
    return false;
  };
  return modifier === 'not' ? (resource) => !matches(resource) : matches;
}
