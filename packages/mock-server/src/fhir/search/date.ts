import { badRequest, OperationOutcomeError } from '../outcomes.js';
import type { SearchParameterDefinition } from '../search-parameters.js';
import { type Matcher, splitOr } from './matcher.js';
import { valuesAtAny } from './path.js';

/** A half-open instant range `[start, end)` in epoch milliseconds. */
export interface DateRange {
  start: number;
  end: number;
}

/** The comparison prefixes of date parameters. */
export type DatePrefix = 'eq' | 'ne' | 'gt' | 'lt' | 'ge' | 'le' | 'sa' | 'eb';

const PREFIXES: ReadonlySet<string> = new Set(['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb']);

const DATE_TIME =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/**
 * The implicit range of a FHIR `date`, `dateTime` or `instant`: `2019` is the whole year,
 * `2019-05-03T10:00` the whole minute. Without a zone the value is read as UTC.
 * `undefined` when the text is not a valid date.
 * @see https://hl7.org/fhir/R4/search.html#date
 */
export function dateRange(text: string): DateRange | undefined {
  const match = DATE_TIME.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = match;
  const year = Number(y);
  const month = mo === undefined ? 1 : Number(mo);
  const day = d === undefined ? 1 : Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  if (h !== undefined && (Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59))
    return undefined;
  const offsetMs = zone === undefined || zone === 'Z' ? 0 : zoneOffset(zone);
  const start =
    Date.UTC(year, month - 1, day, Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0), millis(frac)) -
    offsetMs;
  if (new Date(start + offsetMs).getUTCDate() !== day) return undefined;
  let end: number;
  if (mo === undefined) end = Date.UTC(year + 1, 0, 1);
  else if (d === undefined) end = Date.UTC(year, month, 1);
  else if (h === undefined) end = Date.UTC(year, month - 1, day + 1);
  else if (s === undefined) return { start, end: start + 60_000 };
  else if (frac === undefined) return { start, end: start + 1000 };
  else return { start, end: start + 1 };
  return { start: start, end: end - offsetMs };
}

function zoneOffset(zone: string): number {
  const sign = zone.startsWith('-') ? -1 : 1;
  return sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
}

function millis(fraction: string | undefined): number {
  return fraction === undefined ? 0 : Math.floor(Number(`0${fraction}`) * 1000);
}

/** The range of an element: a date/dateTime/instant string or a Period (open ends unbounded). */
export function elementRange(value: unknown): DateRange | undefined {
  if (typeof value === 'string') return dateRange(value);
  if (value === null || typeof value !== 'object') return undefined;
  const period = value as { start?: unknown; end?: unknown };
  if (period.start === undefined && period.end === undefined) return undefined;
  const start = typeof period.start === 'string' ? dateRange(period.start)?.start : -Infinity;
  const end = typeof period.end === 'string' ? dateRange(period.end)?.end : Infinity;
  if (start === undefined || end === undefined) return undefined;
  return { start, end };
}

/**
 * Whether a resource's range satisfies `prefix` against the parameter's range, by the rules of
 * FHIR R4 search: `eq` the target lies within the value, `gt` part of it lies after, and so on.
 * @see https://hl7.org/fhir/R4/search.html#prefix
 */
export function compareRanges(prefix: DatePrefix, target: DateRange, value: DateRange): boolean {
  const within = target.start >= value.start && target.end <= value.end;
  switch (prefix) {
    case 'eq':
      return within;
    case 'ne':
      return !within;
    case 'gt':
      return target.end > value.end;
    case 'lt':
      return target.start < value.start;
    case 'ge':
      return target.end > value.end || within;
    case 'le':
      return target.start < value.start || within;
    case 'sa':
      return target.start >= value.end;
    case 'eb':
      return target.end <= value.start;
  }
}

/**
 * Parses `[prefix]date`; a malformed one answers HAPI's 400, the text of `BaseDateTimeDt`'s
 * parse error with the value after a known prefix (HAPI reads an unknown prefix as part of
 * the date).
 */
export function parseDateValue(
  param: SearchParameterDefinition,
  raw: string,
): { prefix: DatePrefix; range: DateRange } {
  const hasPrefix = /^[a-z]{2}/.test(raw) && PREFIXES.has(raw.slice(0, 2));
  const prefix = hasPrefix ? raw.slice(0, 2) : 'eq';
  const text = hasPrefix ? raw.slice(2) : raw;
  const range = dateRange(text);
  if (!range) {
    throw new OperationOutcomeError(badRequest(`Invalid date/time format: "${text}"`, param.name));
  }
  return { prefix: prefix as DatePrefix, range };
}

/**
 * Compiles a date parameter: comma-separated alternatives, each `[prefix]value`.
 * @see https://hl7.org/fhir/R4/search.html#date
 */
export function dateMatcher(
  param: SearchParameterDefinition,
  modifier: string | undefined,
  raw: string,
): Matcher {
  if (modifier !== undefined) {
    throw new OperationOutcomeError(
      badRequest(
        `Unsupported modifier ":${modifier}" on date parameter "${param.name}"`,
        param.name,
      ),
    );
  }
  const wanted = splitOr(raw).map((value) => parseDateValue(param, value));
  return (resource) =>
    valuesAtAny(resource, param.paths).some((value) => {
      const target = elementRange(value);
      return (
        target !== undefined &&
        wanted.some(({ prefix, range }) => compareRanges(prefix, target, range))
      );
    });
}
