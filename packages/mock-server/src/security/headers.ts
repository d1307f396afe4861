import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';

/**
 * The CSP of every HTML page: nothing external, inline styles only, forms post to this origin
 * (plus `formTarget` when a form's post redirects there), never framed.
 * @see https://www.w3.org/TR/CSP3/#directive-form-action
 */
export function contentSecurityPolicy(formTarget?: string): string {
  const formAction = formTarget && formTarget !== 'null' ? `'self' ${formTarget}` : `'self'`;
  return `default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`;
}

/** The header every answer carries, whatever its type: browsers never sniff a body's type. */
export const NO_SNIFF = { name: 'x-content-type-options', value: 'nosniff' } as const;

/** A CSP source allowing exactly the inline script `source`, by its SHA-256. */
export function scriptHash(source: string): string {
  return `'sha256-${createHash('sha256').update(source).digest('base64')}'`;
}

/**
 * The app's one `onRequest` hook: {@link NO_SNIFF} on every answer as its request arrives (so
 * errors, 404s and the `Host` check's refusals carry it too), then `checkHost`'s refusal, if any.
 * One hook for both, and an `onRequest` one rather than an `onSend` one: every FHIR read and
 * search runs it, and each app-wide hook was a measured share of their cost (docs/benchmarks.md,
 * issue 11). The HTML pages' own headers come with {@link sendHtml}, the one way the mock answers
 * HTML.
 */
export function registerRequestGate(
  app: FastifyInstance,
  checkHost: (header: string | undefined) => Error | undefined,
): void {
  // Callback-style: an async hook costs a promise and a microtask turn on every request.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header(NO_SNIFF.name, NO_SNIFF.value);
    done(checkHost(request.headers.host));
  });
}

/** How an HTML page is sent; every field has the hardened default. */
export interface HtmlAnswer {
  status?: number;
  /** A narrower or wider CSP than {@link contentSecurityPolicy}'s default. */
  csp?: string;
  /** `false` for a page without secrets that a browser may keep (the landing page). */
  noStore?: boolean;
}

/**
 * Sends an HTML page with its hardening: CSP, clickjacking protection (`frame-ancestors 'none'`
 * and `X-Frame-Options` for older browsers), no referrer, so codes and session codes in URLs
 * never leak to other sites, and `Cache-Control: no-store` unless asked otherwise.
 * @see https://www.w3.org/TR/CSP3/#directive-frame-ancestors
 * @see https://www.w3.org/TR/referrer-policy/#referrer-policy-no-referrer
 */
export function sendHtml(reply: FastifyReply, html: string, answer: HtmlAnswer = {}): FastifyReply {
  if (answer.noStore !== false) reply.header('cache-control', 'no-store');
  const csp = answer.csp ?? contentSecurityPolicy();
  // A page made to be framed (Keycloak's session iframe) says so with its frame-ancestors.
  if (csp.includes("frame-ancestors 'none'")) reply.header('x-frame-options', 'DENY');
  return reply
    .code(answer.status ?? 200)
    .header('content-security-policy', csp)
    .header('referrer-policy', 'no-referrer')
    .type('text/html; charset=utf-8')
    .send(html);
}
