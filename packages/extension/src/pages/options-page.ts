import {
  assertEndpoint,
  discoverFromFhirBase,
  discoverFromIssuer,
  NEXTGEN_PRODUCTION,
  type ServerProfile,
} from '@patient-access/auth-core';
import { describeError } from '../error-text.js';
import type { ExtensionApi } from '../extension-api.js';
import { h } from '../record/dom.js';
import { SECTIONS } from '../record/sections.js';
import {
  loadClientSecret,
  loadSettings,
  MOCK_DEFAULTS,
  REDIRECT_PATH,
  saveSettings,
  type ServerKind,
  type Settings,
} from '../settings.js';

/** The origin match pattern a custom server needs at runtime (`optional_host_permissions`). */
export function originPattern(url: string): string {
  return `${new URL(url).origin}/*`;
}

/** What "check connection" reports for a discovered profile. */
export function describeProfile(profile: ServerProfile): string {
  return [
    `Found ${profile.name}.`,
    `Issuer: ${profile.issuer}.`,
    `Sign-in page: ${profile.authorizationEndpoint}.`,
    `Token endpoint: ${profile.tokenEndpoint}.`,
    profile.revocationEndpoint
      ? 'Sign-out revokes tokens at the server.'
      : 'The server offers no token revocation.',
  ].join(' ');
}

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

  const report = (message: string, kind: 'ok' | 'error' | 'info') => {
    status.textContent = message;
    status.dataset.kind = kind;
  };

  async function discover(kind: ServerKind): Promise<ServerProfile> {
    if (kind === 'nextgen')
      return discoverFromIssuer(NEXTGEN_PRODUCTION.issuer, {
        fhirBaseUrl: NEXTGEN_PRODUCTION.fhirBaseUrl,
      });
    const base =
      kind === 'mock' ? `${new URL(mockUrl.value).origin}/api/fhir/r4` : customBase.value.trim();
    return discoverFromFhirBase(base);
  }

  /** Asks for the custom server's origins; must start inside the click, as Chrome requires a user gesture. */
  async function requestCustomAccess(): Promise<boolean> {
    if (!URL.canParse(customBase.value.trim())) {
      report('Enter the custom server’s FHIR base URL, e.g. https://fhir.example.org/r4.', 'error');
      return false;
    }
    // Refused before the permission prompt, so the user is never asked to let the extension send
    // tokens in clear text (the auth core would refuse the endpoints later anyway).
    try {
      assertEndpoint(customBase.value.trim(), 'The FHIR base URL');
    } catch (error) {
      report(describeError(error).message, 'error');
      return false;
    }
    const granted = await api.permissions.request({
      origins: [originPattern(customBase.value.trim())],
    });
    if (!granted)
      report('Without access to that server the extension cannot sign in to it.', 'error');
    return granted;
  }

  async function checkConnection(): Promise<ServerProfile | undefined> {
    const kind = serverSelect.value as ServerKind;
    if (kind === 'custom' && !(await requestCustomAccess())) return undefined;
    report('Checking…', 'info');
    try {
      const profile = await discover(kind);
      const missing = [profile.authorizationEndpoint, profile.tokenEndpoint]
        .map(originPattern)
        .filter((origin, index, all) => all.indexOf(origin) === index);
      if (kind === 'custom' && !(await api.permissions.contains({ origins: missing }))) {
        report(
          `${describeProfile(profile)} Its sign-in server is on another site: press “Check connection” again to allow it.`,
          'info',
        );
        await api.permissions.request({ origins: missing });
      } else {
        report(describeProfile(profile), 'ok');
      }
      return profile;
    } catch (error) {
      report(describeError(error).message, 'error');
      return undefined;
    }
  }

  async function save(): Promise<void> {
    const kind = serverSelect.value as ServerKind;
    if (clientId.value.trim() === '') {
      report('Enter the client ID the server issued for this extension.', 'error');
      clientId.focus();
      return;
    }
    if (kind === 'mock') {
      if (!URL.canParse(mockUrl.value)) {
        report('Enter the mock server’s address, e.g. http://127.0.0.1:8765.', 'error');
        mockUrl.focus();
        return;
      }
      // The auth core refuses the same at sign-in; saying it here names the field to fix.
      try {
        assertEndpoint(mockUrl.value, 'The mock server’s address');
      } catch (error) {
        report(describeError(error).message, 'error');
        mockUrl.focus();
        return;
      }
    }
    let customProfile: ServerProfile | undefined = settings.customProfile;
    if (kind === 'custom') {
      customProfile = await checkConnection();
      if (!customProfile) return;
    }
    const next: Settings = {
      server: kind,
      mockOrigin: kind === 'mock' ? new URL(mockUrl.value).origin : settings.mockOrigin,
      customFhirBase: customBase.value.trim(),
      ...(customProfile ? { customProfile } : {}),
      clientId: clientId.value.trim(),
      resourceTypes: typeBoxes.filter((box) => box.checked).map((box) => box.value),
      staySignedIn: staySignedIn.checked,
    };
    await saveSettings(api, next, clientSecret.value);
    Object.assign(settings, next);
    report('Saved. Sign in again from the toolbar button for the changes to take effect.', 'ok');
  }

  const checkButton = h(
    'button',
    { type: 'button', class: 'secondary', 'data-testid': 'check-connection' },
    'Check connection',
  );
  checkButton.addEventListener('click', () => void checkConnection());
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
