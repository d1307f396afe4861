import type { FastifyReply } from 'fastify';
import { parseScopes } from '@patient-access/auth-core';
import { selectablePatients } from './accounts.js';
import type { IdentityContext } from './context.js';
import type { Account } from '../data/index.js';
import { renderLoginPage } from './pages/login.js';
import { renderSelectPage, type EncounterGroup } from './pages/select.js';
import { randomToken, type LoginAttempt } from './sessions/store.js';
import { contentSecurityPolicy, sendHtml } from '../security/headers.js';
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

/**
 * Whether `account` may complete `attempt`'s EHR launch (always, without one): the launch's
 * patient must be one the account may select, and a launch for a named user only serves that user.
 */
export function mayUseLaunch(account: Account, attempt: LoginAttempt): boolean {
  const { launch } = attempt;
  if (!launch) return true;
  if (launch.userId !== undefined && launch.userId !== account.userId) return false;
  return selectablePatients(account).includes(launch.patient);
}

/** Message of the selection screen when the signed-in account may not use the launch. */
export const LAUNCH_NOT_ALLOWED = 'This launch is for a patient this account may not share.';

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
  return sendHtml(reply, html);
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
  const { launch } = attempt;
  const patients = launch ? [launch.patient] : selectablePatients(account);
  // The launch's encounter is its context; without one, `launch/encounter` asks for it.
  const encounterGroups: EncounterGroup[] =
    attempt.wantsEncounter && launch?.encounter === undefined
      ? patients.map((patientId) => ({
          patientId,
          patientName: context.accounts.patientName(patientId),
          encounters: context.accounts.encounters(patientId),
        }))
      : [];
  const html = renderSelectPage({
    action: actionUrl(urls.loginConsent, attempt),
    clientName: context.clients.get(attempt.clientId)?.name ?? attempt.clientId,
    patients: patients.map((id) => ({
      id,
      name: context.accounts.patientName(id),
      own: id === account.patientId,
    })),
    launch: launch && {
      patientName: context.accounts.patientName(launch.patient),
      encounterLabel:
        launch.encounter === undefined
          ? undefined
          : (context.accounts
              .encounters(launch.patient)
              .find((each) => each.id === launch.encounter)?.label ?? launch.encounter),
      allowed: mayUseLaunch(account, attempt),
    },
    encounterGroups,
    permissions: scopes.filter((scope) => scope.kind === 'resource').map((scope) => scope.raw),
    fixedScopes: scopes.filter((scope) => scope.kind === 'named').map((scope) => scope.raw),
    error: error ?? (mayUseLaunch(account, attempt) ? undefined : LAUNCH_NOT_ALLOWED),
  });
  return sendHtml(reply, html, {
    csp: contentSecurityPolicy(new URL(attempt.redirectUri).origin),
  });
}
