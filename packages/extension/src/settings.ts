import {
  NEXTGEN_PRODUCTION,
  formatScopes,
  mockProfile,
  resourceScope,
  type ClientConfig,
  type ServerProfile,
} from '@patient-access/auth-core';
import type { ExtensionApi } from './extension-api.js';
import { SECTION_TYPES, sectionFor } from './record/sections.js';

/** Which server the extension signs in to. */
export type ServerKind = 'mock' | 'nextgen' | 'custom';

/** The user's choices on the options page (stored in `storage.local`, never synced). */
export interface Settings {
  server: ServerKind;
  /** Origin of the local mock, e.g. `http://127.0.0.1:8765`. */
  mockOrigin: string;
  /** FHIR base of a custom SMART server. */
  customFhirBase: string;
  /** The custom server's endpoints, discovered from its smart-configuration when saved. */
  customProfile?: ServerProfile;
  clientId: string;
  /** Record types to request, by resource type (one per record section). */
  resourceTypes: string[];
  /** Ask for `offline_access` and keep the refresh token across browser restarts. */
  staySignedIn: boolean;
}

/** The mock's default origin and its built-in public client for this extension. */
export const MOCK_DEFAULTS = {
  origin: 'http://127.0.0.1:8765',
  clientId: 'patient-access-extension',
} as const;

/** Defaults: the local mock, every record type, signed in for this browser session only. */
export const DEFAULT_SETTINGS: Settings = {
  server: 'mock',
  mockOrigin: MOCK_DEFAULTS.origin,
  customFhirBase: '',
  clientId: MOCK_DEFAULTS.clientId,
  resourceTypes: [...SECTION_TYPES],
  staySignedIn: false,
};

const SETTINGS_KEY = 'settings';
/** Kept apart from the settings so it is obviously local-only, and easy to wipe alone. */
const SECRET_KEY = 'clientSecret';

/**
 * The path of the redirect URI under `identity.getRedirectURL()`: in Chrome
 * `https://<extension id>.chromiumapp.org/`, in Firefox
 * `https://<sha1 of the add-on id>.extensions.allizom.org/`.
 */
export const REDIRECT_PATH = 'callback';

/** Reads the settings, filling in defaults for anything never saved. */
export async function loadSettings(api: ExtensionApi): Promise<Settings> {
  const stored = (await api.storage.local.get(SETTINGS_KEY))[SETTINGS_KEY];
  return { ...DEFAULT_SETTINGS, ...(stored as Partial<Settings> | undefined) };
}

/** Saves the settings and the client secret (an empty secret removes it). */
export async function saveSettings(
  api: ExtensionApi,
  settings: Settings,
  clientSecret: string,
): Promise<void> {
  await api.storage.local.set({ [SETTINGS_KEY]: settings });
  if (clientSecret) await api.storage.local.set({ [SECRET_KEY]: clientSecret });
  else await api.storage.local.remove(SECRET_KEY);
}

/** The stored client secret, if the user entered one. */
export async function loadClientSecret(api: ExtensionApi): Promise<string | undefined> {
  const value = (await api.storage.local.get(SECRET_KEY))[SECRET_KEY];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The server the settings point at. A custom server must have been discovered (saved) first.
 * @throws Error when the custom server has not been checked yet.
 */
export function profileFor(settings: Settings): ServerProfile {
  switch (settings.server) {
    case 'mock':
      return mockProfile(new URL(settings.mockOrigin).origin);
    case 'nextgen':
      return NEXTGEN_PRODUCTION;
    case 'custom':
      if (!settings.customProfile) {
        throw new Error('The custom server has not been checked yet: open the options and save.');
      }
      return settings.customProfile;
  }
}

/** The OAuth client: this extension's id for the server, its redirect URI, and any secret. */
export async function clientFor(api: ExtensionApi, settings: Settings): Promise<ClientConfig> {
  const clientSecret = await loadClientSecret(api);
  return {
    clientId: settings.clientId,
    redirectUri: api.identity.getRedirectURL(REDIRECT_PATH),
    ...(clientSecret ? { clientSecret } : {}),
  };
}

/**
 * The `scope` to request: OpenID Connect and the patient context, the Patient itself, a read scope
 * per chosen record type and the types its section also reads, and `offline_access` when asked.
 * SMART v1 `.read` scopes, since NextGen's example authorize URL uses them.
 * @see https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html
 */
export function requestedScope(settings: Settings): string {
  const types = new Set<string>(['Patient']);
  for (const type of settings.resourceTypes) {
    const section = sectionFor(type);
    if (!section) continue;
    types.add(type);
    for (const extra of section.alsoReads ?? []) types.add(extra);
  }
  return formatScopes([
    'openid',
    'fhirUser',
    'launch/patient',
    ...[...types].map((type) => resourceScope('patient', type)),
    ...(settings.staySignedIn ? ['offline_access'] : []),
  ]);
}
