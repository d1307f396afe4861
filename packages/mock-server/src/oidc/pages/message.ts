import { escapeHtml, renderAlert, renderPage } from './layout.js';

/** Keycloak's error page ("We are sorry..."), for errors that must not redirect. */
export function renderErrorPage(message: string): string {
  return renderPage(
    'We are sorry...',
    `<h1 id="kc-page-title">We are sorry...</h1>\n${renderAlert(message)}`,
  );
}

/** Keycloak's logout confirmation, posted back with a per-session token against CSRF. */
export function renderLogoutConfirmPage(
  action: string,
  confirmToken: string,
  carried: Readonly<Record<string, string | undefined>> = {},
): string {
  const hidden = Object.entries({ confirm: confirmToken, ...carried })
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(
      ([name, value]) =>
        `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`,
    )
    .join('\n');
  return renderPage(
    'Logging out',
    `<h1 id="kc-page-title">Logging out</h1>
<p>Do you want to log out?</p>
<form id="kc-logout-confirm" action="${escapeHtml(action)}" method="post">
${hidden}
<div class="actions"><button type="submit" id="kc-logout">Logout</button></div>
</form>`,
  );
}

/** The page after a logout without a redirect. */
export function renderLoggedOutPage(): string {
  return renderPage('You are logged out', `<h1 id="kc-page-title">You are logged out</h1>`);
}
