import { escapeHtml, renderAlert, renderPage } from './layout.js';

/** One patient the account may share. */
export interface PatientChoice {
  id: string;
  name: string;
  /** The account's own ("master") patient. */
  own: boolean;
}

/** What the selection screen shows. */
export interface SelectPageModel {
  action: string;
  clientName: string;
  patients: readonly PatientChoice[];
  /** Resource scopes, each a checkbox. */
  permissions: readonly string[];
  /** Scopes granted without a choice (`openid`, `launch/patient`, ...). */
  fixedScopes: readonly string[];
  error: string | undefined;
}

/**
 * The guide's "choose the patient" screen: `form#kc-select-patient-form`, radios
 * `name="patient"` (the account's own pre-selected), checkboxes `name="scope"` (all checked),
 * submit `#kc-accept`, cancel `#kc-cancel`.
 */
export function renderSelectPage(model: SelectPageModel): string {
  const patients = model.patients
    .map(
      (patient, index) =>
        `<label><input type="radio" name="patient" value="${escapeHtml(patient.id)}" id="patient-${index}"${patient.own ? ' checked' : ''} required> ${escapeHtml(patient.name)}${patient.own ? ' (you)' : ''}</label>`,
    )
    .join('\n');
  const permissions = model.permissions
    .map(
      (scope, index) =>
        `<label><input type="checkbox" name="scope" value="${escapeHtml(scope)}" id="scope-${index}" checked> <code>${escapeHtml(scope)}</code></label>`,
    )
    .join('\n');
  const fixed = model.fixedScopes.length
    ? `<p class="info">Also granted: ${model.fixedScopes.map((scope) => `<code>${escapeHtml(scope)}</code>`).join(' ')}</p>`
    : '';
  return renderPage(
    'Choose a patient',
    `<h1 id="kc-page-title">Share a health record</h1>
<p class="info">${escapeHtml(model.clientName)} asks to read a patient's record.</p>
${renderAlert(model.error)}
<form id="kc-select-patient-form" action="${escapeHtml(model.action)}" method="post">
<fieldset><legend>Patient</legend>
${patients}
</fieldset>
${permissions ? `<fieldset><legend>Permissions</legend>\n${permissions}\n</fieldset>` : ''}
${fixed}
<div class="actions">
<button type="submit" id="kc-accept" name="accept" value="yes">Allow</button>
<button type="submit" id="kc-cancel" name="cancel" value="yes" class="secondary" formnovalidate>Cancel</button>
</div>
</form>`,
  );
}
