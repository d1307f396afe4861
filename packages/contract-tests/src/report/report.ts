import type { JsonShape } from './shape.js';

/** Any JSON value. */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The version tag of the report format; bumped when a field changes meaning. */
export const REPORT_FORMAT = 'patient-access-contract-report/1';

/** The headers a report keeps: the ones a client's behaviour depends on. */
export const OBSERVED_HEADERS = [
  'cache-control',
  'content-type',
  'pragma',
  'www-authenticate',
] as const;

/** A response body, reduced to what may be published: its structure and its error codes. */
export type ObservedBody =
  | { kind: 'empty' }
  | { kind: 'text' }
  | {
      kind: 'json';
      shape: JsonShape;
      /** RFC 6749 §5.2 error responses: the `error` code and its description. */
      error?: { error: JsonValue; error_description?: JsonValue };
      /** FHIR `resourceType` of the body, when it has one. */
      resourceType?: string;
      /** `OperationOutcome.issue[]` as `severity/code`. */
      issues?: string[];
    };

/** One HTTP exchange: the request as method, path and query parameter names; never values. */
export interface ObservedExchange {
  request: string;
  /** The HTTP status; `0` when no response arrived (a network error). */
  status: number;
  headers: Partial<Record<(typeof OBSERVED_HEADERS)[number], string>>;
  body: ObservedBody;
}

/** What the server did during one check of the suite. */
export interface CheckObservation {
  exchanges: ObservedExchange[];
  /** Public facts a check states explicitly (a JSON type, a supported method), never secrets. */
  facts?: Record<string, JsonValue>;
}

/** A whole run's observations, keyed by check id (`token/exchange`, `fhir/search/Condition`). */
export interface ContractReport {
  format: typeof REPORT_FORMAT;
  target: string;
  checks: Record<string, CheckObservation>;
}

/** Joins partial reports (one per suite file) into one; a check id may appear in one part only. */
export function mergeReports(target: string, parts: readonly ContractReport[]): ContractReport {
  const checks: Record<string, CheckObservation> = {};
  for (const part of parts) {
    for (const [id, check] of Object.entries(part.checks)) {
      if (checks[id]) throw new Error(`Check "${id}" is reported by two suite files`);
      checks[id] = check;
    }
  }
  return { format: REPORT_FORMAT, target, checks };
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}

/** The report as stable JSON: keys sorted at every level, two-space indent, final newline. */
export function serializeReport(report: ContractReport): string {
  return `${JSON.stringify(sortKeys(report), null, 2)}\n`;
}

/** Reads a report, checking its format tag. */
export function parseReport(text: string, source: string): ContractReport {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source} is not JSON`, { cause: error });
  }
  const report = value as Partial<ContractReport> | null;
  if (report?.format !== REPORT_FORMAT || typeof report.checks !== 'object') {
    throw new Error(`${source} is not a contract report (format ${REPORT_FORMAT})`);
  }
  return report as ContractReport;
}
