import { escapeHtml, renderAlert, renderPage } from './layout.js';

/** Keycloak's error page ("We are sorry..."), for errors that must not redirect. */
export function renderErrorPage(message: string): string {
  return renderPage(
    'We are sorry...',
    `<h1 id="kc-page-title">We are sorry...</h1>\n${renderAlert(message)}`,
  );
}

/** Keycloak's logout confirmation, posted back with a per-session token against CSRF. */
export function renderLogoutConfirmPage(action: string, confirmToken: string): string {
  return renderPage(
    'Logging out',
    `<h1 id="kc-page-title">Logging out</h1>
<p>Do you want to log out?</p>
<form id="kc-logout-confirm" action="${escapeHtml(action)}" method="post">
<input type="hidden" name="confirm" value="${escapeHtml(confirmToken)}">
<div class="actions"><button type="submit" id="kc-logout">Logout</button></div>
</form>`,
  );
}

/** The page after a logout without a redirect. */
export function renderLoggedOutPage(): string {
  return renderPage('You are logged out', `<h1 id="kc-page-title">You are logged out</h1>`);
}
