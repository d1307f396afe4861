import type { SearchParameterDefinition } from '../search-parameters.js';
import { dateMatcher } from './date.js';
import { idMatcher } from './id.js';
import type { Matcher } from './matcher.js';
import { referenceMatcher } from './reference.js';
import { stringMatcher } from './string.js';
import { tokenMatcher } from './token.js';

/** One `name[:modifier]=value` of a search, compiled. */
export interface Criterion {
  param: SearchParameterDefinition;
  modifier: string | undefined;
  raw: string;
  matches: Matcher;
}

const COMPILERS = {
  token: tokenMatcher,
  date: dateMatcher,
  reference: referenceMatcher,
  string: stringMatcher,
  id: idMatcher,
} as const;

/** Compiles one parameter occurrence; throws a 400 outcome for a bad value or modifier. */
export function compileCriterion(
  param: SearchParameterDefinition,
  modifier: string | undefined,
  raw: string,
): Criterion {
  return { param, modifier, raw, matches: COMPILERS[param.type](param, modifier, raw) };
}
