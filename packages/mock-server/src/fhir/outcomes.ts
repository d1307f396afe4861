import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';

/** The `issue.code` values this server answers with, each tied to one HTTP status below. */
export type OutcomeCode =
  'invalid' | 'login' | 'forbidden' | 'not-found' | 'not-supported' | 'timeout' | 'exception';

// The one place where an outcome becomes an HTTP status.
// https://hl7.org/fhir/R4/http.html#Status-Codes
const STATUS: Readonly<Record<OutcomeCode, number>> = {
  invalid: 400,
  login: 401,
  forbidden: 403,
  'not-found': 404,
  'not-supported': 405,
  timeout: 408,
  exception: 500,
};

function outcome(code: OutcomeCode, diagnostics: string, expression?: string): OperationOutcome {
  const issue: OperationOutcomeIssue = {
    severity: code === 'exception' ? 'fatal' : 'error',
    code,
    diagnostics,
  };
  if (expression !== undefined) issue.expression = [expression];
  return { resourceType: 'OperationOutcome', issue: [issue] };
}

/** The HTTP status of an outcome built by the factories of this module. */
export function statusOf(result: OperationOutcome): number {
  const code = result.issue?.[0]?.code as OutcomeCode | undefined;
  return (code && STATUS[code]) ?? 500;
}

/**
 * An `OperationOutcome` thrown by a route; the plugin's error handler sends it with its status
 * and any extra headers (`WWW-Authenticate` for a 401).
 */
export class OperationOutcomeError extends Error {
  readonly outcome: OperationOutcome;
  readonly headers: Readonly<Record<string, string>>;

  constructor(result: OperationOutcome, headers: Readonly<Record<string, string>> = {}) {
    super(result.issue?.[0]?.diagnostics ?? 'OperationOutcome');
    this.name = 'OperationOutcomeError';
    this.outcome = result;
    this.headers = headers;
  }

  get status(): number {
    return statusOf(this.outcome);
  }
}

/** 400: a bad search parameter or value; `expression` names the parameter, as HAPI does. */
export function badRequest(text: string, expression?: string): OperationOutcome {
  return outcome('invalid', text, expression);
}

/** 408: the request did not arrive within the server's request timeout. */
export function timedOut(text: string): OperationOutcome {
  return outcome('timeout', text);
}

/** 401: no usable bearer token. */
export function unauthorized(text: string): OperationOutcome {
  return outcome('login', text);
}

/** The diagnostics NextGen's Swagger documents for its 401 on every route. */
export const NOT_AUTHORIZED_TEXT = 'Resource not authorized to be viewed by this user';

/**
 * A read or search outside the token's patient compartment (`compartment`) or its scopes
 * (`scope`). NextGen documents 401 "Resource not authorized to be viewed by this user" for it;
 * HAPI's stock authorization interceptor answers 403 with `detail` (the `hapi-forbidden-403`
 * quirk). The plugin's error handler picks one, in one place.
 */
export class AccessDeniedError extends OperationOutcomeError {
  readonly reason: 'compartment' | 'scope';
  readonly detail: string;

  constructor(reason: 'compartment' | 'scope', detail: string) {
    super(forbidden(`Access denied by rule: ${detail}`));
    this.name = 'AccessDeniedError';
    this.reason = reason;
    this.detail = detail;
  }
}

/** The Swagger's 401 outcome for an {@link AccessDeniedError}. */
export function notAuthorized(): OperationOutcome {
  return outcome('forbidden', NOT_AUTHORIZED_TEXT);
}

/** 403: outside the token's patient compartment or its scopes, in HAPI's words by default. */
export function forbidden(text = 'Access denied by rule: Deny all'): OperationOutcome {
  return outcome('forbidden', text);
}

/** 404 for `Type/id`, with HAPI's text; or for an unknown path when `reference` is a sentence. */
export function notFound(reference: string): OperationOutcome {
  return outcome(
    'not-found',
    reference.includes(' ') ? reference : `Resource ${reference} is not known`,
  );
}

/** 405: the API is read-only. */
export function notAllowed(method: string, path: string): OperationOutcome {
  return outcome(
    'not-supported',
    `Invalid request: The FHIR endpoint on this server does not know how to handle ${method} operation[${path}] with parameters [[]]`,
  );
}

/** 500, without internal detail. */
export function serverError(): OperationOutcome {
  return outcome('exception', 'Internal server error');
}
