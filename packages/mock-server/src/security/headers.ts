import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/**
 * The CSP of every HTML page: nothing external, inline styles only, forms post to this origin
 * (plus `formTarget` when a form's post redirects there), never framed.
 * @see https://www.w3.org/TR/CSP3/#directive-form-action
 */
export function contentSecurityPolicy(formTarget?: string): string {
  const formAction = formTarget && formTarget !== 'null' ? `'self' ${formTarget}` : `'self'`;
  return `default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`;
}

/** A CSP source allowing exactly the inline script `source`, by its SHA-256. */
export function scriptHash(source: string): string {
  return `'sha256-${createHash('sha256').update(source).digest('base64')}'`;
}

/**
 * Adds the HTML hardening headers to every `text/html` response: CSP (unless a route set a
 * narrower one), clickjacking protection, no MIME sniffing, and no referrer, so codes and session
 * codes in URLs never leak to other sites.
 */
export function registerSecurityHeaders(app: FastifyInstance): void {
  // Callback-style hooks here and in the other app-wide hooks: they run on every request, and an
  // async hook costs a promise and a microtask turn each time.
  app.addHook('onSend', (_request, reply, payload, done) => {
    reply.header('x-content-type-options', 'nosniff');
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith('text/html')) {
      if (!reply.hasHeader('content-security-policy')) {
        reply.header('content-security-policy', contentSecurityPolicy());
      }
      // A page made to be framed (Keycloak's session iframe) says so with its frame-ancestors.
      const csp = String(reply.getHeader('content-security-policy'));
      if (csp.includes("frame-ancestors 'none'")) reply.header('x-frame-options', 'DENY');
      reply.header('referrer-policy', 'no-referrer');
    }
    done(null, payload);
  });
}
