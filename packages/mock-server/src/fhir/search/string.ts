import { badRequest, OperationOutcomeError } from '../outcomes.js';
import type { SearchParameterDefinition } from '../search-parameters.js';
import { type Matcher, splitOr } from './matcher.js';
import { valuesAtAny } from './path.js';

/** Lower case without accents, as HAPI normalises string parameters. */
export function normaliseString(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

const PARTS = [
  'text',
  'family',
  'given',
  'prefix',
  'suffix',
  'line',
  'city',
  'district',
  'state',
  'postalCode',
  'country',
];

/** The searchable strings of a string, HumanName or Address element. */
export function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value === null || typeof value !== 'object') return [];
  const element = value as Record<string, unknown>;
  return PARTS.flatMap((part) => {
    const item = element[part];
    if (typeof item === 'string') return [item];
    return Array.isArray(item)
      ? item.filter((entry): entry is string => typeof entry === 'string')
      : [];
  });
}

/**
 * Compiles a string parameter: by default any part starts with the value, ignoring case and
 * accents; `:exact` compares whole parts as written; `:contains` matches anywhere.
 * @see https://hl7.org/fhir/R4/search.html#string
 */
export function stringMatcher(
  param: SearchParameterDefinition,
  modifier: string | undefined,
  raw: string,
): Matcher {
  if (modifier !== undefined && modifier !== 'exact' && modifier !== 'contains') {
    throw new OperationOutcomeError(
      badRequest(
        `Unsupported modifier ":${modifier}" on string parameter "${param.name}"`,
        param.name,
      ),
    );
  }
  const wanted = splitOr(raw).map((value) =>
    modifier === 'exact' ? value : normaliseString(value),
  );
  const test = (part: string): boolean => {
    if (modifier === 'exact') return wanted.includes(part);
    const normalised = normaliseString(part);
    return wanted.some((value) =>
      modifier === 'contains' ? normalised.includes(value) : normalised.startsWith(value),
    );
  };
  return (resource) =>
    valuesAtAny(resource, param.paths).some((value) => stringsOf(value).some(test));
}
