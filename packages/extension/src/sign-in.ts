import {
  NetworkError,
  NotSignedInError,
  RequestTimeoutError,
  buildAuthorizationRequest,
  exchangeCode,
  parseCallback,
  verifyIdToken,
  type ServerProfile,
  type SmartTokenSet,
} from '@patient-access/auth-core';
import {
  openTokenSession,
  saveConnection,
  type Connection,
  type WorkerContext,
} from './connection.js';
import { clientFor, loadSettings, profileFor, requestedScope } from './settings.js';

/**
 * A sign-in between opening the authorization URL and the token exchange. Saved to
 * `storage.session` before the auth window opens, so a service worker that was stopped and
 * restarted meanwhile can still check the callback and finish.
 * @see https://developer.chrome.com/docs/extensions/develop/concepts/service-workers/lifecycle
 */
export interface PendingSignIn {
  state: string;
  nonce: string | undefined;
  codeVerifier: string;
  profile: ServerProfile;
  clientId: string;
  redirectUri: string;
  staySignedIn: boolean;
}

const PENDING_KEY = 'pendingSignIn';

/** Options of {@link signIn}. */
export interface SignInOptions {
  /** OIDC `prompt` (`login` to show the credentials page although a server session exists). */
  prompt?: string;
}

/** The pending sign-in saved by {@link beginSignIn}, if one is in progress. */
export async function loadPendingSignIn(
  context: WorkerContext,
): Promise<PendingSignIn | undefined> {
  return (await context.api.storage.session.get(PENDING_KEY))[PENDING_KEY] as
    PendingSignIn | undefined;
}

/**
 * Builds the authorization request from the settings and saves what the callback needs.
 * Resolves to the URL to open.
 */
export async function beginSignIn(
  context: WorkerContext,
  options: SignInOptions = {},
): Promise<URL> {
  const settings = await loadSettings(context.api);
  const profile = profileFor(settings);
  const client = await clientFor(context.api, settings);
  const request = await buildAuthorizationRequest({
    profile,
    client,
    scope: requestedScope(settings),
    ...(options.prompt ? { prompt: options.prompt } : {}),
  });
  const pending: PendingSignIn = {
    state: request.state,
    nonce: request.nonce,
    codeVerifier: request.pkce.verifier,
    profile,
    clientId: client.clientId,
    redirectUri: client.redirectUri,
    staySignedIn: settings.staySignedIn,
  };
  await context.api.storage.session.set({ [PENDING_KEY]: pending });
  return request.url;
}

/**
 * Finishes a sign-in from the final redirect URL: checks `iss`, `state` and `error` (auth core),
 * exchanges the code with the saved PKCE verifier, verifies the ID token and its nonce, then
 * stores the tokens and the connection. The pending state is cleared whatever the outcome, so a
 * callback can never be replayed.
 */
export async function completeSignIn(
  context: WorkerContext,
  redirectUrl: string,
): Promise<Connection> {
  const pending = await loadPendingSignIn(context);
  if (!pending) throw new NotSignedInError('No sign-in is in progress.');
  await context.api.storage.session.remove(PENDING_KEY);
  const options = {
    ...(context.fetch ? { fetch: context.fetch } : {}),
    ...(context.clock ? { clock: context.clock } : {}),
  };
  const callback = parseCallback(redirectUrl, {
    state: pending.state,
    issuer: pending.profile.issuer,
  });
  const settings = await loadSettings(context.api);
  const client = {
    ...(await clientFor(context.api, settings)),
    clientId: pending.clientId,
    redirectUri: pending.redirectUri,
  };
  const tokens: SmartTokenSet = await exchangeCode({
    profile: pending.profile,
    client,
    code: callback.code,
    codeVerifier: pending.codeVerifier,
    ...options,
  });
  const claims = tokens.idToken
    ? await verifyIdToken(tokens.idToken, {
        profile: pending.profile,
        clientId: pending.clientId,
        ...(pending.nonce ? { nonce: pending.nonce } : {}),
        ...options,
      })
    : undefined;
  const connection: Connection = {
    profile: pending.profile,
    clientId: pending.clientId,
    redirectUri: pending.redirectUri,
    patientId: tokens.patient,
    account: tokens.resource,
    subject: claims?.sub,
    staySignedIn: pending.staySignedIn,
    needPatientBanner: tokens.needPatientBanner ?? false,
  };
  await saveConnection(context.api, connection);
  await (await openTokenSession(context, connection)).store(tokens);
  return connection;
}

/** How long the reachability check before the auth window waits for any answer. */
const REACHABLE_TIMEOUT_MS = 10_000;

/**
 * Firefox shows its own "Unable to connect" page in the auth window for a server that is down,
 * and `launchWebAuthFlow` then waits until the person closes that window (Chromium rejects at
 * once). One request to the sign-in page first turns a down server into an immediate error in
 * both browsers. `no-cors`: any answer, whatever its status and without CORS headers, proves the
 * server is up, and it needs no host permission for the identity provider's origin.
 * @see https://fetch.spec.whatwg.org/#concept-request-mode
 */
async function assertReachable(url: URL, fetchImpl: typeof fetch): Promise<void> {
  const page = new URL(url.pathname, url);
  try {
    await fetchImpl(page, {
      method: 'HEAD',
      mode: 'no-cors',
      credentials: 'omit',
      cache: 'no-store',
      signal: AbortSignal.timeout(REACHABLE_TIMEOUT_MS),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'TimeoutError') {
      throw new RequestTimeoutError(`${page.origin} did not answer.`, { cause: error });
    }
    throw new NetworkError(`${page.origin} could not be reached.`, { cause: error });
  }
}

/**
 * The whole interactive sign-in: {@link beginSignIn}, the browser's auth window, then
 * {@link completeSignIn}. A failure leaves no pending state behind.
 * @see https://developer.chrome.com/docs/extensions/reference/api/identity#method-launchWebAuthFlow
 */
export async function signIn(
  context: WorkerContext,
  options: SignInOptions = {},
): Promise<Connection> {
  const url = await beginSignIn(context, options);
  let redirectUrl: string;
  try {
    await assertReachable(url, context.fetch ?? fetch);
    redirectUrl = await context.api.identity.launchWebAuthFlow({
      url: url.href,
      interactive: true,
    });
  } catch (error) {
    await context.api.storage.session.remove(PENDING_KEY);
    throw error;
  }
  return completeSignIn(context, redirectUrl);
}
