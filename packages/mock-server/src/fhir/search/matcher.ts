import type { Resource } from '@medplum/fhirtypes';

/** A compiled search criterion: whether one resource satisfies it. */
export type Matcher = (resource: Resource) => boolean;

/** Splits a parameter value on unescaped commas (OR), unescaping `\,` as FHIR requires. */
export function splitOr(raw: string): string[] {
  return raw.split(/(?<!\\),/).map((part) => part.replace(/\\([,|$\\])/g, '$1'));
}

/** Splits `system|code` on the first unescaped `|`; `undefined` system when there is none. */
export function splitSystem(raw: string): { system: string | undefined; code: string } {
  const match = /(?<!\\)\|/.exec(raw);
  if (!match) return { system: undefined, code: raw };
  return { system: raw.slice(0, match.index), code: raw.slice(match.index + 1) };
}
