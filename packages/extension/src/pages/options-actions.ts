import {
  assertEndpoint,
  discoverFromFhirBase,
  discoverFromIssuer,
  NEXTGEN_PRODUCTION,
  type ServerProfile,
} from '@patient-access/auth-core';
import { describeError } from '../error-text.js';
import type { ExtensionApi } from '../extension-api.js';
import { saveSettings, type ServerKind, type Settings } from '../settings.js';

/** What the options form holds, as plain values (the view reads them from its controls). */
export interface OptionsForm {
  server: ServerKind;
  mockUrl: string;
  customBase: string;
  clientId: string;
  clientSecret: string;
  resourceTypes: string[];
  staySignedIn: boolean;
}

/** The form fields an action can point the user at. */
export type OptionsField = 'mockUrl' | 'customBase' | 'clientId';

/** What an action reports: a sentence, its kind, and the field to fix when there is one. */
export interface OptionsReport {
  kind: 'ok' | 'error' | 'info';
  message: string;
  field?: OptionsField;
}

/** The origin match pattern a custom server needs at runtime (`optional_host_permissions`). */
function originPattern(url: string): string {
  return `${new URL(url).origin}/*`;
}

/** What "check connection" reports for a discovered profile. */
function describeProfile(profile: ServerProfile): string {
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

function endpointError(url: string, name: string): string | undefined {
  try {
    assertEndpoint(url, name);
    return undefined;
  } catch (error) {
    return describeError(error).message;
  }
}

/**
 * The first problem of the form that saving would hit, or `undefined`. The auth core refuses the
 * same endpoints at sign-in; saying it here names the field to fix.
 */
export function validateOptions(form: OptionsForm): OptionsReport | undefined {
  if (form.clientId.trim() === '') {
    return {
      kind: 'error',
      field: 'clientId',
      message: 'Enter the client ID the server issued for this extension.',
    };
  }
  if (form.server === 'mock') {
    if (!URL.canParse(form.mockUrl)) {
      return {
        kind: 'error',
        field: 'mockUrl',
        message: 'Enter the mock server’s address, e.g. http://127.0.0.1:8765.',
      };
    }
    const refused = endpointError(form.mockUrl, 'The mock server’s address');
    if (refused) return { kind: 'error', field: 'mockUrl', message: refused };
  }
  if (form.server === 'custom') return validateCustomBase(form.customBase);
  return undefined;
}

// Refused before the permission prompt, so the user is never asked to let the extension send
// tokens in clear text.
function validateCustomBase(customBase: string): OptionsReport | undefined {
  const base = customBase.trim();
  if (!URL.canParse(base)) {
    return {
      kind: 'error',
      field: 'customBase',
      message: 'Enter the custom server’s FHIR base URL, e.g. https://fhir.example.org/r4.',
    };
  }
  const refused = endpointError(base, 'The FHIR base URL');
  return refused ? { kind: 'error', field: 'customBase', message: refused } : undefined;
}

/** Reads the chosen server's endpoints from its discovery document. */
function discoverServer(form: OptionsForm): Promise<ServerProfile> {
  if (form.server === 'nextgen') {
    return discoverFromIssuer(NEXTGEN_PRODUCTION.issuer, {
      fhirBaseUrl: NEXTGEN_PRODUCTION.fhirBaseUrl,
    });
  }
  const base =
    form.server === 'mock' ? `${new URL(form.mockUrl).origin}/api/fhir/r4` : form.customBase.trim();
  return discoverFromFhirBase(base);
}

/** The result of "check connection": the report, and the profile when discovery succeeded. */
export interface ConnectionCheck {
  report: OptionsReport;
  profile?: ServerProfile;
  /**
   * The sign-in server's sites that the custom server needs and that were not granted yet. Pass
   * them to the next check or save: it asks for them at its start, inside the click.
   */
  missingOrigins?: string[];
}

/**
 * Checks the chosen server. For a custom one it first asks for access to it, and to the sign-in
 * sites an earlier check found missing (`pendingOrigins`), in one prompt: the request must be the
 * first thing the click does, as browsers allow the prompt only while handling the user's input
 * (Firefox no longer after an `await`). Sign-in sites learnt from this discovery are returned as
 * `missingOrigins` for the next click, never asked for here.
 * @see https://developer.chrome.com/docs/extensions/reference/api/permissions#method-request
 * @see https://developer.mozilla.org/en-US/docs/Mozilla/Add-ons/WebExtensions/API/permissions/request
 */
export async function checkConnection(
  api: ExtensionApi,
  form: OptionsForm,
  pendingOrigins: readonly string[] = [],
): Promise<ConnectionCheck> {
  if (form.server === 'custom') {
    const invalid = validateCustomBase(form.customBase);
    if (invalid) return { report: invalid };
    const granted = await api.permissions.request({
      origins: [...new Set([originPattern(form.customBase.trim()), ...pendingOrigins])],
    });
    if (!granted) {
      return {
        report: {
          kind: 'error',
          field: 'customBase',
          message: 'Without access to that server the extension cannot sign in to it.',
        },
      };
    }
  }
  let profile: ServerProfile;
  try {
    profile = await discoverServer(form);
  } catch (error) {
    return { report: { kind: 'error', message: describeError(error).message } };
  }
  const missing = [profile.authorizationEndpoint, profile.tokenEndpoint]
    .map(originPattern)
    .filter((origin, index, all) => all.indexOf(origin) === index);
  if (form.server === 'custom' && !(await api.permissions.contains({ origins: missing }))) {
    return {
      profile,
      missingOrigins: missing,
      report: {
        kind: 'info',
        message: `${describeProfile(profile)} Its sign-in server is on another site: press “Check connection” again to allow it.`,
      },
    };
  }
  return { profile, report: { kind: 'ok', message: describeProfile(profile) } };
}

/** The result of saving: the report, and the settings now stored when it succeeded. */
export interface SaveResult {
  report: OptionsReport;
  settings?: Settings;
  /** As {@link ConnectionCheck.missingOrigins}: to ask for at the start of the next save. */
  missingOrigins?: string[];
}

/**
 * Validates and stores the form over `current`; a custom server is checked (and its profile
 * kept) first, so sign-in never starts against endpoints nobody looked at.
 */
export async function saveOptions(
  api: ExtensionApi,
  form: OptionsForm,
  current: Settings,
  pendingOrigins: readonly string[] = [],
): Promise<SaveResult> {
  const invalid = validateOptions(form);
  if (invalid) return { report: invalid };
  let customProfile = current.customProfile;
  if (form.server === 'custom') {
    const checked = await checkConnection(api, form, pendingOrigins);
    if (!checked.profile) return { report: checked.report };
    // Without its sign-in site the server cannot be signed in to: nothing is stored yet.
    if (checked.missingOrigins) {
      return {
        missingOrigins: checked.missingOrigins,
        report: {
          kind: 'info',
          message: `${describeProfile(checked.profile)} Its sign-in server is on another site: press “Save” again to allow it.`,
        },
      };
    }
    customProfile = checked.profile;
  }
  const next: Settings = {
    server: form.server,
    mockOrigin: form.server === 'mock' ? new URL(form.mockUrl).origin : current.mockOrigin,
    customFhirBase: form.customBase.trim(),
    ...(customProfile ? { customProfile } : {}),
    clientId: form.clientId.trim(),
    resourceTypes: [...form.resourceTypes],
    staySignedIn: form.staySignedIn,
  };
  await saveSettings(api, next, form.clientSecret);
  return {
    settings: next,
    report: {
      kind: 'ok',
      message: 'Saved. Sign in again from the toolbar button for the changes to take effect.',
    },
  };
}
