import { TokenSession, type ServerProfile } from '@patient-access/auth-core';
import type { ExtensionApi } from './extension-api.js';
import { loadClientSecret } from './settings.js';
import { ExtensionTokenStorage } from './token-storage.js';

/** What the service worker needs, injected so tests can pass fakes and a fake clock. */
export interface WorkerContext {
  api: ExtensionApi;
  fetch?: typeof fetch;
  clock?: () => number;
}

/**
 * The server and patient a sign-in connected to. Not secret, kept in `storage.local` so that a
 * "stay signed in" session can resume after a browser restart; the tokens are stored apart.
 */
export interface Connection {
  profile: ServerProfile;
  clientId: string;
  redirectUri: string;
  patientId: string | undefined;
  /** The signed-in account (`resource` of NextGen's token response, e.g. `Person/4007449`). */
  account: string | undefined;
  subject: string | undefined;
  staySignedIn: boolean;
  needPatientBanner: boolean;
}

const CONNECTION_KEY = 'connection';
/** The storage key of the token set (see {@link ExtensionTokenStorage}). */
export const TOKENS_KEY = 'tokens';

/** The current connection, if any sign-in completed and no sign-out followed. */
export async function loadConnection(api: ExtensionApi): Promise<Connection | undefined> {
  return (await api.storage.local.get(CONNECTION_KEY))[CONNECTION_KEY] as Connection | undefined;
}

/** Records the connection of a completed sign-in. */
export async function saveConnection(api: ExtensionApi, connection: Connection): Promise<void> {
  await api.storage.local.set({ [CONNECTION_KEY]: connection });
}

/** Forgets the connection. */
export async function clearConnection(api: ExtensionApi): Promise<void> {
  await api.storage.local.remove(CONNECTION_KEY);
}

/**
 * The auth core's token session for a connection, over extension storage. The client secret is
 * read from `storage.local` at each call, so it never sits in session storage or messages.
 */
export async function openTokenSession(
  context: WorkerContext,
  connection: Connection,
): Promise<TokenSession> {
  const clientSecret = await loadClientSecret(context.api);
  return new TokenSession({
    profile: connection.profile,
    client: {
      clientId: connection.clientId,
      redirectUri: connection.redirectUri,
      ...(clientSecret ? { clientSecret } : {}),
    },
    storage: new ExtensionTokenStorage(context.api, async () => connection.staySignedIn),
    storageKey: TOKENS_KEY,
    ...(context.fetch ? { fetch: context.fetch } : {}),
    ...(context.clock ? { clock: context.clock } : {}),
  });
}
