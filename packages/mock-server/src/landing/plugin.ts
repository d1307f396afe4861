import type { FastifyPluginAsync } from 'fastify';
import { YOUR_HEALTH_FILE_CLIENT } from '../config.js';
import { allowAnyOrigin } from '../cors.js';
import type { IdentityContext } from '../oidc/context.js';
import { urlsFor } from '../oidc/context.js';
import { escapeHtml, renderPage } from '../oidc/pages/layout.js';
import { LANDING_ROUTES, routeOptions } from '../routes.js';
import { sendHtml } from '../security/headers.js';
import { curlWalkthrough } from './walkthrough.js';

/** What the landing plugin shows. */
export interface LandingPluginOptions {
  context: IdentityContext;
}

/**
 * The SMART style the token response points to. NextGen's production file is not reachable
 * offline; these are the SMART App Launch example's keys with NextGen Office's colours.
 * @see https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html#styling
 */
export const SMART_STYLE = {
  color_background: '#f0f0f0',
  color_error: '#c9190b',
  color_highlight: '#0066cc',
  color_modal_backdrop: '',
  color_success: '#3e8635',
  color_text: '#151515',
  dim_border_radius: '4px',
  dim_font_size: '16px',
  dim_spacing_size: '16px',
  font_family_body: 'system-ui, sans-serif',
  font_family_heading: 'system-ui, sans-serif',
};

/** `/` (what this server is and how to use it) and the SMART style JSON. */
export const landingPlugin: FastifyPluginAsync<LandingPluginOptions> = async (app, { context }) => {
  app.route({
    ...routeOptions(LANDING_ROUTES.smartStyle, [allowAnyOrigin]),
    handler: async () => SMART_STYLE,
  });

  app.route({
    ...routeOptions(LANDING_ROUTES.home),
    handler: async (request, reply) => {
      const urls = urlsFor(context, request);
      const guideClient = context.config.clients.find(
        (client) => client.clientId === YOUR_HEALTH_FILE_CLIENT.clientId,
      );
      const row = (...cells: string[]) =>
        `<tr>${cells.map((cell) => `<td>${cell}</td>`).join('')}</tr>`;
      const code = (text: string) => `<code>${escapeHtml(text)}</code>`;
      const endpoints = [
        ['OpenID discovery', urls.discovery],
        ['Authorize', urls.authorization],
        ['Token', urls.token],
        ['JWKS', urls.jwks],
        ['Userinfo', urls.userinfo],
        ['Introspect', urls.introspection],
        ['Revoke', urls.revocation],
        ['Logout', urls.endSession],
        ['Pushed authorization requests', urls.pushedAuthorization],
        ['Session iframe', urls.checkSessionIframe],
        ['FHIR base', urls.fhirBase],
        ['SMART configuration', urls.smartConfiguration],
      ]
        .map(([name, url]) => row(escapeHtml(name ?? ''), code(url ?? '')))
        .join('\n');
      const users = context.accounts.accounts
        .slice(0, 10)
        .map((account) =>
          row(
            code(account.username),
            code(account.password),
            code(account.patientId),
            escapeHtml(account.dependents.join(', ')),
          ),
        )
        .join('\n');
      const clients = context.clients
        .all()
        .map((client) =>
          row(
            code(client.clientId),
            client.isPublic ? 'public (PKCE)' : `confidential (${escapeHtml(client.authMethod)})`,
            client.redirectUris.map(code).join('<br>'),
          ),
        )
        .join('\n');
      const admin = context.config.admin
        ? `<h2>Test controls</h2><p>${code('GET /__admin')} lists them: ${code('POST /__admin/reset')}, ${code('POST /__admin/clock {"advanceSeconds":3600}')}, ${code('POST /__admin/faults {"route":"token","count":1,"error":"temporarily_unavailable"}')}, ${code('GET /__admin/sessions')}, ${code('GET /__admin/tokens')}</p>
<h3>Client registration</h3><p>Register a client for your tests with RFC 7591 metadata: ${code('POST /__admin/clients {"client_id":"my-service","token_endpoint_auth_method":"private_key_jwt","jwks_uri":"http://127.0.0.1:9000/jwks","grant_types":["client_credentials"],"scope":"system/*.read"}')} (answers 201 with the registered metadata); ${code('GET /__admin/clients')} lists them, ${code('DELETE /__admin/clients/{id}')} forgets one, ${code('POST /__admin/reset')} forgets all registered here. Methods: ${code('client_secret_basic')}, ${code('client_secret_post')}, ${code('client_secret_jwt')}, ${code('private_key_jwt')}, ${code('tls_client_auth')} (refused as without a certificate), ${code('none')}.</p>`
        : '';
      const launcher = context.config.admin
        ? `<h2>EHR launcher</h2><p><a id="launcher-link" href="${LANDING_ROUTES.launcher.path}">${code(`${urls.origin}${LANDING_ROUTES.launcher.path}`)}</a>: pick a patient and an encounter and open an app's launch URL with ${code('iss')} and ${code('launch')}, as an EHR does (or ${code('POST /__admin/launches {"patient":"428946492"}')}).</p>`
        : '';
      const html = renderPage(
        'NextGen Office mock',
        `<h1>NextGen Office Patient Access API: local mock</h1>
<p>A Keycloak realm <code>nextgen</code> and a US Core R4 FHIR server that behave like NextGen's, offline. Point your app here instead of production.</p>
<h2>Endpoints</h2><table>${endpoints}</table>
<h2>Test users</h2><table><tr><th>Username</th><th>Password</th><th>Patient</th><th>Dependents</th></tr>${users}</table>
<h2>Clients</h2><table><tr><th>client_id</th><th>Type</th><th>Redirect URIs</th></tr>${clients}</table>
${admin}
${launcher}
<h2>The guide's flow with curl</h2>
<pre>${escapeHtml(curlWalkthrough(urls.origin, guideClient))}</pre>`,
        { wide: true },
      );
      return sendHtml(reply, html, { noStore: false });
    },
  });
};
