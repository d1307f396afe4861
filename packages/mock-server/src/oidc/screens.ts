import type { FastifyReply } from 'fastify';
import { parseScopes } from '@patient-access/auth-core';
import type { IdentityContext } from './context.js';
import { renderLoginPage } from './pages/login.js';
import { renderSelectPage } from './pages/select.js';
import { randomToken, type LoginAttempt } from './sessions/store.js';
import { contentSecurityPolicy } from '../security/headers.js';
import type { RealmUrls } from '../urls.js';

/** Keycloak's fixed id of the username/password execution. */
const PASSWORD_EXECUTION = 'c8a6b0a2-6a0e-4f7f-9d4b-password';

/** The action URL of a login-actions form, with a fresh one-time `session_code`. */
function actionUrl(action: string, attempt: LoginAttempt, execution?: string): string {
  attempt.sessionCode = randomToken();
  const query = new URLSearchParams({ session_code: attempt.sessionCode });
  if (execution) query.set('execution', execution);
  query.set('client_id', attempt.clientId);
  query.set('tab_id', attempt.tabId);
  return `${action}?${query.toString()}`;
}

/** Renders the login form of `attempt` (HTTP 200, even with an error message). */
export function sendLoginPage(
  context: IdentityContext,
  reply: FastifyReply,
  urls: RealmUrls,
  attempt: LoginAttempt,
  model: { username?: string | undefined; error?: string },
): FastifyReply {
  const html = renderLoginPage({
    action: actionUrl(urls.loginAuthenticate, attempt, PASSWORD_EXECUTION),
    clientName: context.clients.get(attempt.clientId)?.name ?? attempt.clientId,
    username: model.username,
    error: model.error,
  });
  return reply
    .code(200)
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(html);
}

/**
 * Renders the selection screen for a signed-in `attempt`. Its CSP also allows the client's
 * redirect origin in `form-action`, because Chrome applies `form-action` to the redirect that
 * follows the form post.
 */
export function sendSelectPage(
  context: IdentityContext,
  reply: FastifyReply,
  urls: RealmUrls,
  attempt: LoginAttempt,
  error: string | undefined,
): FastifyReply {
  const account = attempt.userId ? context.accounts.byUserId(attempt.userId) : undefined;
  if (!account) throw new Error('The selection screen needs a signed-in attempt.');
  const scopes = parseScopes(attempt.scope);
  const html = renderSelectPage({
    action: actionUrl(urls.loginConsent, attempt),
    clientName: context.clients.get(attempt.clientId)?.name ?? attempt.clientId,
    patients: [account.patientId, ...account.dependents].map((id) => ({
      id,
      name: context.accounts.patientName(id),
      own: id === account.patientId,
    })),
    permissions: scopes.filter((scope) => scope.kind === 'resource').map((scope) => scope.raw),
    fixedScopes: scopes.filter((scope) => scope.kind === 'named').map((scope) => scope.raw),
    error,
  });
  return reply
    .code(200)
    .header('cache-control', 'no-store')
    .header('content-security-policy', contentSecurityPolicy(new URL(attempt.redirectUri).origin))
    .type('text/html; charset=utf-8')
    .send(html);
}
