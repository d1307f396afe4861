import { badRequest, OperationOutcomeError } from '../outcomes.js';
import type { SearchParameterDefinition } from '../search-parameters.js';
import { type Matcher, splitOr } from './matcher.js';
import { valuesAtAny } from './path.js';

const TYPED = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/;

/**
 * Normalises a reference search value to `Type/id`: `123` (typed by the parameter's target or a
 * `:Type` modifier), `Patient/123` or an absolute URL ending in `Patient/123`. `undefined` when the
 * value names no resource.
 * @see https://hl7.org/fhir/R4/search.html#reference
 */
export function normaliseReference(
  raw: string,
  defaultType: string | undefined,
): string | undefined {
  const typed = TYPED.exec(raw);
  if (typed) return `${typed[1]}/${typed[2]}`;
  if (defaultType && /^[A-Za-z0-9\-.]{1,64}$/.test(raw)) return `${defaultType}/${raw}`;
  return undefined;
}

/** The `Type/id` of a Reference element, `undefined` for contained or logical references. */
export function referenceKey(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const reference = (value as { reference?: unknown }).reference;
  if (typeof reference !== 'string') return undefined;
  const typed = TYPED.exec(reference);
  return typed ? `${typed[1]}/${typed[2]}` : undefined;
}

/** The `Type/id` values a reference parameter asks for, after its `:Type` modifier. */
export function referenceValues(
  param: SearchParameterDefinition,
  modifier: string | undefined,
  raw: string,
): string[] {
  if (modifier !== undefined && !/^[A-Z][A-Za-z]+$/.test(modifier)) {
    throw new OperationOutcomeError(
      badRequest(
        `Unsupported modifier ":${modifier}" on reference parameter "${param.name}"`,
        param.name,
      ),
    );
  }
  return splitOr(raw).map((value) => {
    const key = normaliseReference(value, modifier ?? param.target);
    if (!key || (param.target && !key.startsWith(`${param.target}/`))) {
      throw new OperationOutcomeError(
        badRequest(
          `Invalid reference "${value}" for parameter "${param.name}": expected an id or ${param.target ?? 'Type'}/id`,
          param.name,
        ),
      );
    }
    return key;
  });
}

/**
 * Compiles a reference parameter: comma-separated alternatives in any of the forms of
 * {@link normaliseReference}.
 */
export function referenceMatcher(
  param: SearchParameterDefinition,
  modifier: string | undefined,
  raw: string,
): Matcher {
  const wanted = new Set(referenceValues(param, modifier, raw));
  return (resource) =>
    valuesAtAny(resource, param.paths).some((value) => {
      const key = referenceKey(value);
      return key !== undefined && wanted.has(key);
    });
}
