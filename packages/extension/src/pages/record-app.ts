import type { Patient, Person } from '@medplum/fhirtypes';
import { describeError, type ErrorInfo } from '../error-text.js';
import type { ExtensionApi } from '../extension-api.js';
import { h } from '../record/dom.js';
import { patientBanner } from '../record/patient-banner.js';
import { renderSections } from '../record/record-view.js';
import type { SectionContext } from '../record/section.js';
import { SECTIONS } from '../record/sections.js';
import type { WorkerStatus } from '../worker.js';
import { downloadBlob, attachmentFilename, openBlob } from './file-transfer.js';
import {
  attachmentFor,
  CcdaError,
  downloadCcda,
  offersPatientSwitch,
  openRecord,
  readAccount,
  readSignInState,
  recordExport,
  recordOwner,
  signIn,
  signOut,
  type OpenRecord,
  type SignedOut,
} from './record-actions.js';

/** Where the record app runs: the compact action popup or the full-page record view. */
export type RecordAppMode = 'popup' | 'page';

function button(label: string, attributes: Record<string, string>, onClick: () => void) {
  const element = h('button', { type: 'button', ...attributes }, label);
  element.addEventListener('click', onClick);
  return element;
}

/** The error block: the sentence, and a retry button (`data-testid="error"`). */
function errorBlock(error: ErrorInfo, retryLabel: string, retry: () => void): HTMLElement {
  return h(
    'div',
    { class: 'error', role: 'alert', 'data-testid': 'error', 'data-code': error.code },
    h('p', {}, error.message),
    button(retryLabel, { 'data-testid': 'retry' }, retry),
  );
}

/**
 * The record app shared by the popup and the record page: sign-in state, the patient banner, one
 * section per record type, export, patient switch and sign-out. This module draws; what it does
 * lives in `record-actions.ts`. Sign-in runs in the service worker, so a popup closed by the auth
 * window loses nothing.
 */
export async function startRecordApp(
  api: ExtensionApi,
  root: HTMLElement,
  mode: RecordAppMode,
): Promise<void> {
  const main = h('main', { id: 'main', class: 'record', tabindex: '-1' });
  const toolbar = h('nav', { class: 'toolbar', 'aria-label': 'Record actions' });
  root.replaceChildren(
    h(
      'header',
      { class: 'app-header' },
      h(
        'h1',
        {},
        h('img', { src: 'icons/icon-32.png', alt: '', width: 24, height: 24 }),
        'Patient Access',
      ),
      toolbar,
    ),
    main,
  );

  /**
   * `connect` shows the login page even when the server still has a session (so another account
   * can sign in); switching patient reuses that session and goes straight to the server's
   * patient-selection screen.
   * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest (prompt=login)
   */
  async function connect(options: { prompt?: string } = { prompt: 'login' }): Promise<void> {
    main.replaceChildren(
      h(
        'p',
        { class: 'muted', role: 'status' },
        h('span', { class: 'spinner', 'aria-hidden': 'true' }),
        'Signing in… finish in the sign-in window.',
      ),
    );
    toolbar.replaceChildren();
    const error = await signIn(api, options);
    if (error) showSignedOut({ signedIn: false, error, serverName: undefined, signingIn: false });
    else await refresh();
  }

  function showSignedOut(state: SignedOut, retryLabel = 'Try again'): void {
    toolbar.replaceChildren(
      button('Options', { class: 'secondary' }, () => void api.runtime.openOptionsPage()),
    );
    main.replaceChildren(
      ...(state.signingIn
        ? [
            h(
              'p',
              { class: 'muted', role: 'status' },
              'A sign-in window is open: finish signing in there, or connect again.',
            ),
          ]
        : []),
      h('h2', {}, 'Your health record'),
      h(
        'p',
        {},
        `Sign in${state.serverName ? ` to ${state.serverName}` : ''} with your patient portal account to see your record here. Your password is entered on the server’s own page, never in this extension.`,
      ),
      state.error
        ? errorBlock(state.error, retryLabel, () => void connect())
        : button('Connect', { 'data-testid': 'connect', class: 'primary' }, () => void connect()),
    );
  }

  async function showRecord(status: WorkerStatus): Promise<void> {
    const record = await openRecord(api, SECTIONS);
    const patientId = record.grant.patientId;
    const alertBox = h('div', { class: 'alerts' });
    const context: SectionContext = {
      async openAttachment(attachment, action) {
        try {
          const blob = await attachmentFor(record, attachment);
          if (action === 'open') openBlob(blob);
          else downloadBlob(blob, attachmentFilename(attachment));
        } catch (error) {
          alertBox.replaceChildren(
            errorBlock(describeError(error), 'Dismiss', () => alertBox.replaceChildren()),
          );
        }
      },
    };
    let patient: Patient | undefined;

    const bannerSlot = h('div', { class: 'banner-slot' });
    const sectionRoot = h('div', { class: mode === 'popup' ? 'sections compact' : 'sections' });
    main.replaceChildren(alertBox, bannerSlot, sectionRoot);
    const signOutButton = button(
      'Sign out',
      { class: 'secondary', 'data-testid': 'sign-out' },
      () => void signOutAndShow(),
    );
    toolbar.replaceChildren(signOutButton);
    if (!patientId) {
      bannerSlot.replaceChildren(
        errorBlock(
          {
            code: 'ERR_NO_PATIENT',
            message: 'The server did not say whose record to show (no patient in the sign-in).',
          },
          'Sign in again',
          () => void connect(),
        ),
      );
      return;
    }
    // Always shown: `need_patient_banner` is about an EHR frame that already names the patient,
    // and a standalone extension never runs in one; a parent may also be viewing a child's record.
    // https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html#launch-context-arrives-with-your-access_token
    const account = readAccount(record.client, status);
    record.client
      .read<Patient>('Patient', patientId)
      .then(async (read) => {
        patient = read;
        const owner = recordOwner(read, await account);
        bannerSlot.replaceChildren(patientBanner(read, owner.signedInAs));
      })
      .catch((error: unknown) => {
        bannerSlot.replaceChildren(
          errorBlock(describeError(error), 'Reload', () => void refresh()),
        );
      });
    const sections = renderSections(sectionRoot, {
      source: record.source,
      patientId,
      grantedScope: record.grant.scope,
      itemLimit: mode === 'popup' ? 3 : 8,
      sections: record.sections,
      context,
    });
    const exportButton = button('Export', { class: 'secondary', 'data-testid': 'export' }, () => {
      const file = recordExport({
        patient,
        resources: sections.resources(),
        fhirBaseUrl: record.grant.fhirBaseUrl,
        patientId,
        now: new Date(),
      });
      downloadBlob(file.blob, file.filename);
    });
    const switchButton = button(
      'Switch patient',
      {
        class: 'secondary',
        'data-testid': 'switch-patient',
        title: 'Choose another patient on the server’s selection screen',
      },
      () => void connect({}),
    );
    switchButton.hidden = status.account !== undefined;
    void account.then((person: Person | undefined) => {
      switchButton.hidden = !offersPatientSwitch(person);
    });
    if (mode === 'page') {
      main.append(ccdaForm(record, patientId));
    }
    toolbar.replaceChildren(
      ...(mode === 'popup'
        ? [
            button(
              'Full record',
              { class: 'secondary', 'data-testid': 'open-record' },
              () => void api.tabs.create({ url: api.runtime.getURL('record.html') }),
            ),
          ]
        : []),
      exportButton,
      switchButton,
      signOutButton,
    );
  }

  /** "Download C-CDA" with an optional date range, and its outcome in a status line. */
  function ccdaForm(record: OpenRecord, patientId: string): HTMLElement {
    const from = h('input', { id: 'ccda-from', type: 'date', 'data-testid': 'ccda-from' });
    const to = h('input', { id: 'ccda-to', type: 'date', 'data-testid': 'ccda-to' });
    const status = h('p', {
      class: 'ccda-status',
      role: 'status',
      'aria-live': 'polite',
      'data-testid': 'ccda-status',
    });
    const submit = h(
      'button',
      { type: 'submit', class: 'secondary', 'data-testid': 'download-ccda' },
      'Download C-CDA',
    );
    const form = h(
      'form',
      { class: 'ccda', 'aria-labelledby': 'ccda-heading' },
      h('h2', { id: 'ccda-heading' }, 'Health summary document (C-CDA)'),
      h(
        'p',
        { class: 'hint' },
        'The record as one C-CDA XML file, which other doctors’ systems can import. Leave the dates empty for everything.',
      ),
      h(
        'div',
        { class: 'inline' },
        h('label', { for: from.id }, 'From'),
        from,
        h('label', { for: to.id }, 'To'),
        to,
        submit,
      ),
      status,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      status.textContent = 'Downloading…';
      delete status.dataset.kind;
      downloadCcda(record, { patientId, from: from.value, to: to.value }).then(
        (file) => {
          downloadBlob(file.blob, file.filename);
          status.textContent = `Saved ${file.filename}.`;
          status.dataset.kind = 'ok';
        },
        (error: unknown) => {
          status.textContent =
            error instanceof CcdaError ? error.message : describeError(error).message;
          status.dataset.kind = 'error';
        },
      );
    });
    return form;
  }

  async function signOutAndShow(): Promise<void> {
    const { error, serverName } = await signOut(api);
    showSignedOut({ signedIn: false, error, serverName, signingIn: false }, 'Connect');
  }

  async function refresh(): Promise<void> {
    const state = await readSignInState(api);
    if (!state.signedIn) {
      showSignedOut(state);
      return;
    }
    try {
      await showRecord(state.status);
    } catch (error) {
      showSignedOut({
        signedIn: false,
        error: describeError(error),
        serverName: undefined,
        signingIn: false,
      });
    }
  }

  await refresh();
}
