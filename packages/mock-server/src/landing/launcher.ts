import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { IdentityContext } from '../oidc/context.js';
import { urlsFor } from '../oidc/context.js';
import { OAuthError } from '../oidc/errors.js';
import { createLaunch } from '../oidc/launch.js';
import { escapeHtml, renderAlert, renderPage } from '../oidc/pages/layout.js';
import { LANDING_ROUTES, routeOptions } from '../routes.js';
import { sendHtml } from '../security/headers.js';

/** What the launcher plugin works with. */
export interface LauncherPluginOptions {
  context: IdentityContext;
}

// The select lists at most this many patients: a mock with 10,000 synthetic patients would
// otherwise generate every record to name them. Any patient can be launched with the admin API.
const LISTED_PATIENTS = 50;

/**
 * The launcher's CSP: its form posts here, and the post's 303 goes to the app's launch URL, which
 * Chrome checks against `form-action` too; any http(s) app must be reachable.
 * @see https://www.w3.org/TR/CSP3/#directive-form-action
 */
const LAUNCHER_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self' http: https:; frame-ancestors 'none'; base-uri 'none'";

interface LauncherModel {
  patient?: string;
  encounter?: string;
  launchUrl?: string;
  error?: string;
}

function field(source: unknown, name: string): string | undefined {
  const value =
    source !== null && typeof source === 'object'
      ? (source as Record<string, unknown>)[name]
      : undefined;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The patients the select offers: each account's own, then its dependents, without repeats. */
function listedPatients(context: IdentityContext): string[] {
  const ids = new Set<string>();
  for (const account of context.accounts.accounts) {
    for (const id of [account.patientId, ...account.dependents]) {
      if (ids.size < LISTED_PATIENTS) ids.add(id);
    }
  }
  return [...ids];
}

/** The app's launch URL, if it is an absolute http(s) URL without a fragment. */
function parseLaunchUrl(value: string | undefined): URL | undefined {
  if (value === undefined || !URL.canParse(value)) return undefined;
  const url = new URL(value);
  return /^https?:$/.test(url.protocol) && url.hash === '' ? url : undefined;
}

function renderLauncher(context: IdentityContext, fhirBase: string, model: LauncherModel): string {
  const selected = model.patient;
  const patientOptions = listedPatients(context)
    .map(
      (id) =>
        `<option value="${escapeHtml(id)}"${id === selected ? ' selected' : ''}>${escapeHtml(context.accounts.patientName(id))} (${escapeHtml(id)})</option>`,
    )
    .join('\n');
  const pickPatient = `<form id="launcher-patient-form" action="${LANDING_ROUTES.launcher.path}" method="get">
<label for="launcher-patient">Patient</label>
<select id="launcher-patient" name="patient" required>
${patientOptions}
</select>
<div class="actions"><button type="submit" id="launcher-pick-patient" class="${selected ? 'secondary' : ''}">Show encounters</button></div>
</form>`;
  let launchForm = '';
  if (selected !== undefined && context.accounts.hasPatient(selected)) {
    const encounters = context.accounts.encounters(selected);
    const chosen = model.encounter ?? encounters[0]?.id;
    const encounterOptions = [
      `<option value=""${chosen === '' ? ' selected' : ''}>No encounter</option>`,
      ...encounters.map(
        (encounter) =>
          `<option value="${escapeHtml(encounter.id)}"${encounter.id === chosen ? ' selected' : ''}>${escapeHtml(encounter.label)}</option>`,
      ),
    ].join('\n');
    launchForm = `<form id="launcher-launch-form" action="${LANDING_ROUTES.launch.path}" method="post">
<input type="hidden" name="patient" value="${escapeHtml(selected)}">
<p>Patient: <strong id="launcher-chosen-patient">${escapeHtml(context.accounts.patientName(selected))}</strong></p>
<label for="launcher-encounter">Encounter (most recent first)</label>
<select id="launcher-encounter" name="encounter">
${encounterOptions}
</select>
<label for="launcher-launch-url">App's launch URL</label>
<input type="text" inputmode="url" id="launcher-launch-url" name="launch_url" required placeholder="http://127.0.0.1:9000/launch" value="${escapeHtml(model.launchUrl ?? '')}">
<div class="actions"><button type="submit" id="launcher-launch">Launch</button></div>
</form>`;
  }
  return renderPage(
    'EHR launcher',
    `<h1 id="launcher-title">EHR launcher</h1>
<p class="info">Opens an app as an EHR would (SMART App Launch "EHR launch"): the app's launch URL receives <code>iss</code> (<code>${escapeHtml(fhirBase)}</code>) and a single-use <code>launch</code> that binds the patient and encounter when the app asks for the <code>launch</code> scope.</p>
${renderAlert(model.error)}
${pickPatient}
${launchForm}`,
  );
}

/**
 * `GET /launcher`, a page where a person picks a patient, one of its encounters and an app's
 * launch URL, and `POST /launcher`, which creates the launch and sends the browser to
 * `launchUrl?iss=…&launch=…`. Two steps without scripts: the encounters follow the patient.
 * @see https://hl7.org/fhir/smart-app-launch/app-launch.html#launch-app-ehr-launch
 */
export const launcherPlugin: FastifyPluginAsync<LauncherPluginOptions> = async (
  app,
  { context },
) => {
  const send = (request: FastifyRequest, reply: FastifyReply, model: LauncherModel, status = 200) =>
    sendHtml(reply, renderLauncher(context, urlsFor(context, request).fhirBase, model), {
      status,
      csp: LAUNCHER_CSP,
    });

  app.route({
    ...routeOptions(LANDING_ROUTES.launcher),
    handler: async (request, reply) => {
      const patient = field(request.query, 'patient');
      if (patient !== undefined && !context.accounts.hasPatient(patient)) {
        return send(request, reply, { error: `Unknown patient: ${patient}` }, 400);
      }
      return send(request, reply, { patient });
    },
  });

  app.route({
    ...routeOptions(LANDING_ROUTES.launch),
    handler: async (request, reply) => {
      const patient = field(request.body, 'patient');
      const encounter = field(request.body, 'encounter');
      const launchUrl = field(request.body, 'launch_url');
      const model = { patient, encounter: encounter ?? '', launchUrl };
      const target = parseLaunchUrl(launchUrl);
      if (target === undefined) {
        return send(
          request,
          reply,
          { ...model, error: "The app's launch URL must be an absolute http(s) URL." },
          400,
        );
      }
      let launch;
      try {
        launch = createLaunch(context, { patient: patient ?? '', encounter });
      } catch (error) {
        if (!(error instanceof OAuthError)) throw error;
        return send(request, reply, { ...model, error: error.message }, 400);
      }
      target.searchParams.set('iss', urlsFor(context, request).fhirBase);
      target.searchParams.set('launch', launch.launch);
      return reply.header('cache-control', 'no-store').redirect(target.href, 303);
    },
  });
};
