import type { ExtensionApi } from '../extension-api.js';
import { h } from '../record/dom.js';
import { SECTIONS } from '../record/sections.js';
import {
  loadClientSecret,
  loadSettings,
  MOCK_DEFAULTS,
  REDIRECT_PATH,
  type ServerKind,
} from '../settings.js';
import {
  checkConnection,
  saveOptions,
  type OptionsField,
  type OptionsForm,
  type OptionsReport,
} from './options-actions.js';

function field(label: string, control: HTMLElement, hint?: HTMLElement | string): HTMLElement {
  return h(
    'div',
    { class: 'field' },
    h('label', { for: control.id }, label),
    control,
    hint ? h('p', { class: 'hint', id: `${control.id}-hint` }, hint) : null,
  );
}

/**
 * The options page: which server, the client credentials, which record types, "stay signed in",
 * a connection check, and the redirect URL to register with the server.
 */
export async function startOptionsPage(api: ExtensionApi, root: HTMLElement): Promise<void> {
  const settings = await loadSettings(api);
  const secret = (await loadClientSecret(api)) ?? '';
  const redirectUrl = api.identity.getRedirectURL(REDIRECT_PATH);

  const serverSelect = h(
    'select',
    { id: 'server', 'data-testid': 'server-select' },
    h('option', { value: 'mock' }, 'Local mock server'),
    h('option', { value: 'nextgen' }, 'NextGen Office (production)'),
    h('option', { value: 'custom' }, 'Custom SMART on FHIR server'),
  );
  serverSelect.value = settings.server;
  const mockUrl = h('input', {
    id: 'mock-url',
    type: 'url',
    'data-testid': 'mock-url',
    value: settings.mockOrigin,
    required: true,
    'aria-describedby': 'mock-url-hint',
  });
  const customBase = h('input', {
    id: 'custom-base',
    type: 'url',
    'data-testid': 'custom-base',
    value: settings.customFhirBase,
    placeholder: 'https://fhir.example.org/r4',
    'aria-describedby': 'custom-base-hint',
  });
  const clientId = h('input', {
    id: 'client-id',
    type: 'text',
    'data-testid': 'client-id',
    value: settings.clientId,
    required: true,
    autocomplete: 'off',
    spellcheck: 'false',
  });
  const clientSecret = h('input', {
    id: 'client-secret',
    type: 'password',
    'data-testid': 'client-secret',
    value: secret,
    autocomplete: 'off',
    'aria-describedby': 'client-secret-hint',
  });
  const staySignedIn = h('input', {
    id: 'stay-signed-in',
    type: 'checkbox',
    'data-testid': 'stay-signed-in',
    checked: settings.staySignedIn,
    'aria-describedby': 'stay-signed-in-hint',
  });
  const typeBoxes = SECTIONS.map((section) =>
    h('input', {
      type: 'checkbox',
      id: `type-${section.resourceType}`,
      name: 'resource-type',
      value: section.resourceType,
      'data-testid': `type-${section.resourceType}`,
      checked: settings.resourceTypes.includes(section.resourceType),
    }),
  );
  const redirect = h('input', {
    id: 'redirect-url',
    type: 'text',
    readonly: true,
    value: redirectUrl,
    'data-testid': 'redirect-url',
    'aria-describedby': 'redirect-url-hint',
  });
  const status = h('p', {
    class: 'options-status',
    role: 'status',
    'aria-live': 'polite',
    'data-testid': 'options-status',
  });

  const mockField = field(
    'Mock server address',
    mockUrl,
    'Where npm start runs the mock; its default is http://127.0.0.1:8765.',
  );
  const customField = field(
    'FHIR base URL',
    customBase,
    'The server’s sign-in endpoints are discovered from its /.well-known/smart-configuration. You will be asked to allow the extension to reach it.',
  );
  const showServerFields = () => {
    mockField.hidden = serverSelect.value !== 'mock';
    customField.hidden = serverSelect.value !== 'custom';
  };
  serverSelect.addEventListener('change', () => {
    showServerFields();
    if (serverSelect.value === 'mock' && clientId.value === '')
      clientId.value = MOCK_DEFAULTS.clientId;
    if (serverSelect.value !== 'mock' && clientId.value === MOCK_DEFAULTS.clientId)
      clientId.value = '';
  });
  showServerFields();

  const report = (message: string, kind: OptionsReport['kind']) => {
    status.textContent = message;
    status.dataset.kind = kind;
  };
  const controls: Record<OptionsField, HTMLElement> = { mockUrl, customBase, clientId };
  const show = ({ kind, message, field: fix }: OptionsReport) => {
    report(message, kind);
    if (fix && kind === 'error') controls[fix].focus();
  };
  const readForm = (): OptionsForm => ({
    server: serverSelect.value as ServerKind,
    mockUrl: mockUrl.value,
    customBase: customBase.value,
    clientId: clientId.value,
    clientSecret: clientSecret.value,
    resourceTypes: typeBoxes.filter((box) => box.checked).map((box) => box.value),
    staySignedIn: staySignedIn.checked,
  });

  // The sign-in sites the last check or save of a custom server found missing, asked for at the
  // start of the next click for the same server.
  let pending: { base: string; origins: string[] } | undefined;
  const pendingFor = (form: OptionsForm): string[] =>
    pending?.base === form.customBase.trim() ? pending.origins : [];
  const remember = (form: OptionsForm, origins: string[] | undefined): void => {
    pending = origins ? { base: form.customBase.trim(), origins } : undefined;
  };

  async function check(): Promise<void> {
    const form = readForm();
    if (form.server !== 'custom') report('Checking…', 'info');
    const result = await checkConnection(api, form, pendingFor(form));
    remember(form, result.missingOrigins);
    show(result.report);
  }

  async function save(): Promise<void> {
    const form = readForm();
    const result = await saveOptions(api, form, settings, pendingFor(form));
    remember(form, result.missingOrigins);
    if (result.settings) Object.assign(settings, result.settings);
    show(result.report);
  }

  const checkButton = h(
    'button',
    { type: 'button', class: 'secondary', 'data-testid': 'check-connection' },
    'Check connection',
  );
  checkButton.addEventListener('click', () => void check());
  const saveButton = h(
    'button',
    { type: 'submit', class: 'primary', 'data-testid': 'save' },
    'Save',
  );
  const copyButton = h(
    'button',
    { type: 'button', class: 'secondary', 'data-testid': 'copy-redirect-url' },
    'Copy',
  );
  copyButton.addEventListener('click', () => {
    navigator.clipboard.writeText(redirectUrl).then(
      () => report('Redirect URL copied.', 'ok'),
      () => {
        redirect.select();
        report('Select the redirect URL and copy it with Ctrl+C.', 'info');
      },
    );
  });

  const form = h(
    'form',
    { class: 'options', novalidate: true },
    h(
      'fieldset',
      {},
      h('legend', {}, 'Server'),
      field('Connect to', serverSelect),
      mockField,
      customField,
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, 'This extension’s registration'),
      field(
        'Client ID',
        clientId,
        'The mock’s extension client is patient-access-extension. For NextGen, use the client ID NextGen issued you.',
      ),
      field(
        'Client secret (optional)',
        clientSecret,
        h(
          'strong',
          {},
          'A secret stored in a browser extension is not secret: anyone with this browser profile can read it. It is kept on this computer only (never synced or bundled). Leave it empty for public clients that use PKCE alone.',
        ),
      ),
      h(
        'div',
        { class: 'field' },
        h('label', { for: redirect.id }, 'Redirect URL to register'),
        h('div', { class: 'inline' }, redirect, copyButton),
        h(
          'p',
          { class: 'hint', id: 'redirect-url-hint' },
          'Give this exact URL to NextGen (or your server) as the app’s OAuth callback URL. It differs between Chrome and Firefox, and in each stays the same on every install: Chrome derives it from the manifest’s key, Firefox from the add-on’s id.',
        ),
      ),
    ),
    h(
      'fieldset',
      { class: 'types' },
      h('legend', {}, 'Parts of the record to request'),
      h(
        'div',
        { class: 'checkbox-grid' },
        ...SECTIONS.map((section, index) =>
          h('label', { class: 'checkbox' }, typeBoxes[index] ?? '', ` ${section.title}`),
        ),
      ),
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Staying signed in'),
      h('label', { class: 'checkbox' }, staySignedIn, ' Stay signed in (request offline access)'),
      h(
        'p',
        { class: 'hint', id: 'stay-signed-in-hint' },
        'Off: tokens live in memory only and you sign in again after closing the browser. On: the refresh token is also written to this computer’s disk, so anyone who can read this browser profile can read your record until you sign out. Access tokens are never written to disk.',
      ),
    ),
    h('div', { class: 'actions' }, checkButton, saveButton),
    status,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void save();
  });
  root.replaceChildren(
    h(
      'header',
      { class: 'app-header' },
      h(
        'h1',
        {},
        h('img', { src: 'icons/icon-32.png', alt: '', width: 24, height: 24 }),
        'Patient Access options',
      ),
    ),
    h('main', { id: 'main' }, form),
  );
}
