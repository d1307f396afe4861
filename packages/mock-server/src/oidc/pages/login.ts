import { escapeHtml, renderAlert, renderPage } from './layout.js';

/** What the login form shows. */
export interface LoginPageModel {
  action: string;
  clientName: string;
  username: string | undefined;
  error: string | undefined;
}

/**
 * Keycloak's username/password form: `form#kc-form-login`, inputs `username` and `password`,
 * submit `#kc-login`.
 */
export function renderLoginPage(model: LoginPageModel): string {
  const invalid = model.error ? ' aria-invalid="true" aria-describedby="input-error"' : '';
  return renderPage(
    'Sign in to nextgen',
    `<h1 id="kc-page-title">Sign in to your account</h1>
<p class="info">to continue to ${escapeHtml(model.clientName)}</p>
${renderAlert(model.error)}
<form id="kc-form-login" action="${escapeHtml(model.action)}" method="post">
<label for="username">Username or email</label>
<input id="username" name="username" type="text" value="${escapeHtml(model.username ?? '')}" autocomplete="username" autofocus required${invalid}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${invalid}>
<input type="hidden" id="id-hidden-input" name="credentialId">
<div class="actions"><button type="submit" id="kc-login" name="login">Sign In</button></div>
</form>`,
  );
}
