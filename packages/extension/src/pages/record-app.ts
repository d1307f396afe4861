import type { Binary, Patient, Person, Resource } from '@medplum/fhirtypes';
import { describeError, type ErrorInfo } from '../error-text.js';
import type { ExtensionApi } from '../extension-api.js';
import { callWorker } from '../messages.js';
import { linkedPatients, personId } from '../record/account.js';
import { h } from '../record/dom.js';
import { recordBundle } from '../record/export-bundle.js';
import { patientBanner } from '../record/patient-banner.js';
import { renderSections } from '../record/record-view.js';
import type { RecordSource, SectionContext } from '../record/section.js';
import { SECTIONS } from '../record/sections.js';
import { loadSettings, profileFor } from '../settings.js';
import type { WorkerHandlers, WorkerStatus } from '../worker.js';
import { fhirClientFor } from './fhir-access.js';
import { attachmentBlob, attachmentFilename, downloadBlob, openBlob } from './file-transfer.js';

/** Where the record app runs: the compact action popup or the full-page record view. */
export type RecordAppMode = 'popup' | 'page';

const call = <Name extends keyof WorkerHandlers & string>(
  api: ExtensionApi,
  name: Name,
  ...payload: Parameters<WorkerHandlers[Name]>
) => callWorker<WorkerHandlers, Name>(api, name, ...payload);

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
 * section per record type, export, patient switch and sign-out. Sign-in runs in the service
 * worker, so a popup closed by the auth window loses nothing.
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
   * Starts a sign-in in the worker. `connect` shows the login page even when the server still
   * has a session (so another account can sign in); switching patient reuses that session and
   * goes straight to the server's patient-selection screen.
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
    try {
      await call(api, 'signIn', options);
    } catch (error) {
      showSignedOut(describeError(error));
      return;
    }
    await refresh();
  }

  function showSignedOut(
    error: ErrorInfo | undefined,
    serverName?: string,
    retryLabel = 'Try again',
  ): void {
    toolbar.replaceChildren(
      button('Options', { class: 'secondary' }, () => void api.runtime.openOptionsPage()),
    );
    main.replaceChildren(
      h('h2', {}, 'Your health record'),
      h(
        'p',
        {},
        `Sign in${serverName ? ` to ${serverName}` : ''} with your patient portal account to see your record here. Your password is entered on the server’s own page, never in this extension.`,
      ),
      error
        ? errorBlock(error, retryLabel, () => void connect())
        : button('Connect', { 'data-testid': 'connect', class: 'primary' }, () => void connect()),
    );
  }

  /** The name of the server the options point at; a custom one is unnamed until checked. */
  async function configuredServerName(): Promise<string | undefined> {
    const settings = await loadSettings(api);
    return settings.server === 'custom' && !settings.customProfile
      ? undefined
      : profileFor(settings).name;
  }

  async function signOut(): Promise<void> {
    const result = await call(api, 'signOut');
    showSignedOut(
      result.error
        ? {
            code: result.error.code,
            message: `Signed out on this device, but the server could not confirm it: ${result.error.message}`,
          }
        : undefined,
      await configuredServerName(),
      'Connect',
    );
  }

  async function showRecord(status: WorkerStatus): Promise<void> {
    const grant = await call(api, 'accessToken');
    const patientId = grant.patientId;
    const client = fhirClientFor(api, grant.fhirBaseUrl);
    const source: RecordSource = {
      search: (type, params) => client.searchAll(type, params),
      read: (type, id) => client.read(type, id),
    };
    const context: SectionContext = {
      async openAttachment(attachment, action) {
        try {
          const blob = await attachmentBlob(attachment, grant.fhirBaseUrl, (id) =>
            client.read<Binary>('Binary', id),
          );
          if (action === 'open') openBlob(blob);
          else downloadBlob(blob, attachmentFilename(attachment));
        } catch (error) {
          alertBox.replaceChildren(
            errorBlock(describeError(error), 'Dismiss', () => alertBox.replaceChildren()),
          );
        }
      },
    };
    const alertBox = h('div', { class: 'alerts' });
    let patient: Patient | undefined;

    const bannerSlot = h('div', { class: 'banner-slot' });
    const sectionRoot = h('div', { class: mode === 'popup' ? 'sections compact' : 'sections' });
    main.replaceChildren(alertBox, bannerSlot, sectionRoot);
    toolbar.replaceChildren(
      button('Sign out', { class: 'secondary', 'data-testid': 'sign-out' }, () => void signOut()),
    );
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
    const showBanner = mode === 'page' || status.needPatientBanner;
    client
      .read<Patient>('Patient', patientId)
      .then((read) => {
        patient = read;
        if (showBanner) bannerSlot.replaceChildren(patientBanner(read));
      })
      .catch((error: unknown) => {
        bannerSlot.replaceChildren(
          errorBlock(describeError(error), 'Reload', () => void refresh()),
        );
      });
    const settings = await loadSettings(api);
    const sections = renderSections(sectionRoot, {
      source,
      patientId,
      grantedScope: grant.scope,
      itemLimit: mode === 'popup' ? 3 : 8,
      sections: SECTIONS.filter((section) => settings.resourceTypes.includes(section.resourceType)),
      context,
    });
    const exportRecord = () => {
      const resources: Resource[] = [
        ...(patient ? [patient] : []),
        ...(sections.resources() ?? []),
      ];
      const bundle = recordBundle(resources, grant.fhirBaseUrl, new Date());
      downloadBlob(
        new Blob([JSON.stringify(bundle, null, 2)], { type: 'application/fhir+json' }),
        `health-record-${patientId ?? 'patient'}.json`,
      );
    };
    const switchButton = button(
      'Switch patient',
      {
        class: 'secondary',
        'data-testid': 'switch-patient',
        title: 'Choose another patient on the server’s selection screen',
      },
      () => void connect({}),
    );
    // Offered when the account links to several patients (dependents), or when that is unknown.
    const person = personId(status.account);
    switchButton.hidden = person !== undefined;
    if (person !== undefined) {
      client.read<Person>('Person', person).then(
        (read) => (switchButton.hidden = linkedPatients(read).length < 2),
        () => (switchButton.hidden = false),
      );
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
      button('Export', { class: 'secondary', 'data-testid': 'export' }, exportRecord),
      switchButton,
      button('Sign out', { class: 'secondary', 'data-testid': 'sign-out' }, () => void signOut()),
    );
  }

  async function refresh(): Promise<void> {
    let status: WorkerStatus;
    try {
      status = await call(api, 'status');
    } catch (error) {
      showSignedOut(describeError(error));
      return;
    }
    if (!status.signedIn) {
      showSignedOut(status.lastError, await configuredServerName());
      if (status.signingIn) {
        main.prepend(
          h(
            'p',
            { class: 'muted', role: 'status' },
            'A sign-in window is open: finish signing in there, or connect again.',
          ),
        );
      }
      return;
    }
    try {
      await showRecord(status);
    } catch (error) {
      showSignedOut(describeError(error));
    }
  }

  await refresh();
}
