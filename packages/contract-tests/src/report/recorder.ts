import {
  OBSERVED_HEADERS,
  REPORT_FORMAT,
  type CheckObservation,
  type ContractReport,
  type JsonValue,
  type ObservedBody,
  type ObservedExchange,
} from './report.js';
import { jsonShape } from './shape.js';

function describeRequest(
  input: Parameters<typeof fetch>[0],
  init: RequestInit | undefined,
): string {
  const request = input instanceof Request ? input : undefined;
  const url = new URL(request ? request.url : String(input));
  const method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
  const names = [...new Set(url.searchParams.keys())].sort();
  return `${method} ${url.pathname}${names.length > 0 ? `?${names.join('&')}` : ''}`;
}

function observeJson(value: unknown): ObservedBody {
  const body: ObservedBody = { kind: 'json', shape: jsonShape(value) };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return body;
  const record = value as Record<string, unknown>;
  if (typeof record.error === 'string') {
    body.error = {
      error: record.error,
      ...(typeof record.error_description === 'string'
        ? { error_description: record.error_description }
        : {}),
    };
  }
  if (typeof record.resourceType === 'string') {
    body.resourceType = record.resourceType;
    if (record.resourceType === 'OperationOutcome' && Array.isArray(record.issue)) {
      body.issues = record.issue.map((issue: { severity?: unknown; code?: unknown }) =>
        [issue.severity, issue.code].map(String).join('/'),
      );
    }
  }
  return body;
}

/** Reduces a response body to its observable structure; values never leave this function. */
export function observeBody(text: string, contentType: string | null): ObservedBody {
  if (text === '') return { kind: 'empty' };
  if (contentType && /json/i.test(contentType)) {
    try {
      return observeJson(JSON.parse(text));
    } catch {
      return { kind: 'text' };
    }
  }
  return { kind: 'text' };
}

/**
 * Collects what the server did, check by check, through a `fetch` wrapper handed to the auth
 * core, the FHIR client and the sign-in driver. Each exchange takes its slot when the request
 * starts, so parallel requests are reported in the order the code issued them.
 */
export class ReportRecorder {
  readonly #target: string;
  readonly #checks = new Map<string, CheckObservation>();
  readonly #fetch: typeof fetch;

  constructor(target: string, baseFetch: typeof fetch = globalThis.fetch) {
    this.#target = target;
    this.#fetch = baseFetch;
  }

  #check(id: string): CheckObservation {
    let check = this.#checks.get(id);
    if (!check) {
      check = { exchanges: [] };
      this.#checks.set(id, check);
    }
    return check;
  }

  /** A `fetch` that records every exchange under the check `id`. */
  fetch(id: string): typeof fetch {
    const exchanges = this.#check(id).exchanges;
    return async (input, init) => {
      const slot = exchanges.length;
      const request = describeRequest(input, init);
      exchanges.push({ request, status: 0, headers: {}, body: { kind: 'empty' } });
      const response = await this.#fetch(input, init);
      const headers: ObservedExchange['headers'] = {};
      for (const name of OBSERVED_HEADERS) {
        const value = response.headers.get(name);
        if (value !== null) headers[name] = value;
      }
      const text = await response.clone().text();
      exchanges[slot] = {
        request,
        status: response.status,
        headers,
        body: observeBody(text, response.headers.get('content-type')),
      };
      return response;
    };
  }

  /** States public facts for the check `id` (merged with earlier ones). */
  note(id: string, facts: Record<string, JsonValue>): void {
    const check = this.#check(id);
    check.facts = { ...check.facts, ...facts };
  }

  /** The observations so far, as a (partial) report. */
  toReport(): ContractReport {
    return {
      format: REPORT_FORMAT,
      target: this.#target,
      checks: Object.fromEntries(this.#checks),
    };
  }
}
