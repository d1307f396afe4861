import { badRequest, OperationOutcomeError } from '../outcomes.js';
import type { SearchParameterDefinition } from '../search-parameters.js';
import { type Matcher, splitOr } from './matcher.js';

/** The ids an `_id` parameter asks for, comma-separated alternatives. */
export function idValues(
  param: SearchParameterDefinition,
  modifier: string | undefined,
  raw: string,
): string[] {
  if (modifier !== undefined) {
    throw new OperationOutcomeError(
      badRequest(`Unsupported modifier ":${modifier}" on parameter "_id"`, param.name),
    );
  }
  return splitOr(raw);
}

/**
 * Compiles `_id`: the logical id equals one of the values, exactly.
 * @see https://hl7.org/fhir/R4/search.html#id
 */
export function idMatcher(
  param: SearchParameterDefinition,
  modifier: string | undefined,
  raw: string,
): Matcher {
  const wanted = new Set(idValues(param, modifier, raw));
  return (resource) => resource.id !== undefined && wanted.has(resource.id);
}
