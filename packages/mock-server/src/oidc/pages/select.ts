import { escapeHtml, renderAlert, renderPage } from './layout.js';

/** One patient the account may share. */
export interface PatientChoice {
  id: string;
  name: string;
  /** The account's own ("master") patient. */
  own: boolean;
}

/** The encounters the screen offers for one patient, most recent first. */
export interface EncounterGroup {
  patientId: string;
  patientName: string;
  encounters: readonly { id: string; label: string }[];
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
  /**
   * An EHR launch's context, shown and not asked for; `allowed` is false when the signed-in
   * account may not share the launch's patient, and only Cancel is offered.
   */
  launch?: { patientName: string; encounterLabel: string | undefined; allowed: boolean };
  /** `launch/encounter`: radios `name="encounter-<patient id>"`, the most recent pre-selected. */
  encounterGroups: readonly EncounterGroup[];
  error: string | undefined;
}

function renderEncounterGroups(groups: readonly EncounterGroup[], single: boolean): string {
  return groups
    .map((group, groupIndex) => {
      const radios = group.encounters.length
        ? group.encounters
            .map(
              (encounter, index) =>
                `<label><input type="radio" name="encounter-${escapeHtml(group.patientId)}" value="${escapeHtml(encounter.id)}" id="encounter-${groupIndex}-${index}"${index === 0 ? ' checked' : ''}> ${escapeHtml(encounter.label)}</label>`,
            )
            .join('\n')
        : '<p class="info">No encounters on record.</p>';
      const legend = single ? 'Encounter' : `Encounter, if you share ${group.patientName}`;
      return `<fieldset class="encounters" data-patient="${escapeHtml(group.patientId)}"><legend>${escapeHtml(legend)}</legend>\n${radios}\n</fieldset>`;
    })
    .join('\n');
}

/**
 * The guide's "choose the patient" screen: `form#kc-select-patient-form`, radios
 * `name="patient"` (the account's own pre-selected), checkboxes `name="scope"` (all checked),
 * submit `#kc-accept`, cancel `#kc-cancel`. An EHR launch shows its patient (`#launch-patient`)
 * instead of the radios; `launch/encounter` adds a group of encounter radios per patient.
 */
export function renderSelectPage(model: SelectPageModel): string {
  const launch = model.launch;
  const patients = launch
    ? `<p id="launch-patient">${escapeHtml(launch.patientName)}</p>${
        launch.encounterLabel === undefined
          ? ''
          : `<p id="launch-encounter" class="info">Encounter: ${escapeHtml(launch.encounterLabel)}</p>`
      }`
    : model.patients
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
${renderEncounterGroups(model.encounterGroups, launch !== undefined)}
${permissions ? `<fieldset><legend>Permissions</legend>\n${permissions}\n</fieldset>` : ''}
${fixed}
<div class="actions">
${launch?.allowed === false ? '' : '<button type="submit" id="kc-accept" name="accept" value="yes">Allow</button>'}
<button type="submit" id="kc-cancel" name="cancel" value="yes" class="secondary" formnovalidate>Cancel</button>
</div>
</form>`,
  );
}
