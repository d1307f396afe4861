import { NotSignedInError, type SmartTokenSet, type TokenSession } from '@patient-access/auth-core';
import {
  clearConnection,
  loadConnection,
  openTokenSession,
  TOKENS_KEY,
  type Connection,
  type WorkerContext,
} from './connection.js';
import { describeError, type ErrorInfo } from './error-text.js';
import type { AlarmInfo } from './extension-api.js';
import { dispatch } from './messages.js';
import { loadPendingSignIn, signIn, type SignInOptions } from './sign-in.js';

/** The alarm that refreshes the tokens shortly before the access token expires. */
export const REFRESH_ALARM = 'refresh-tokens';
/** How long before expiry the alarm fires: a minute leaves room for a slow token endpoint. */
export const REFRESH_LEAD_MS = 60_000;

const LAST_ERROR_KEY = 'lastError';

/** What pages show: whether someone is signed in, to what, and the last sign-in error. */
export interface WorkerStatus {
  signedIn: boolean;
  signingIn: boolean;
  serverName: string | undefined;
  fhirBaseUrl: string | undefined;
  patientId: string | undefined;
  account: string | undefined;
  scope: string | undefined;
  needPatientBanner: boolean;
  lastError: ErrorInfo | undefined;
}

/** A fresh access token and what to call with it. */
export interface AccessGrant {
  accessToken: string;
  fhirBaseUrl: string;
  patientId: string | undefined;
  scope: string;
}

/** The result of a sign-out: whether the server confirmed the revocation. */
export interface SignOutResult {
  revoked: boolean;
  error: ErrorInfo | undefined;
}

/**
 * The service worker's logic: message handlers and the refresh alarm. All state is read from
 * storage at each call; the only thing held in memory is the token session object, so that
 * concurrent refreshes within one worker share one request (single-flight).
 */
export function createWorker(context: WorkerContext) {
  const { api } = context;
  let cached: { connection: string; session: Promise<TokenSession> } | undefined;

  function sessionFor(connection: Connection): Promise<TokenSession> {
    const key = JSON.stringify(connection);
    if (cached?.connection !== key) {
      cached = { connection: key, session: openTokenSession(context, connection) };
    }
    return cached.session;
  }

  async function scheduleRefresh(tokens: SmartTokenSet | undefined): Promise<void> {
    if (!tokens) return;
    const now = context.clock?.() ?? Date.now();
    await api.alarms.create(REFRESH_ALARM, {
      when: Math.max(now + 1_000, tokens.expiresAt - REFRESH_LEAD_MS),
    });
  }

  async function currentTokens(): Promise<
    { connection: Connection; tokens: SmartTokenSet } | undefined
  > {
    const connection = await loadConnection(api);
    if (!connection) return undefined;
    const tokens = await (await sessionFor(connection)).current();
    return tokens ? { connection, tokens } : undefined;
  }

  const handlers = {
    async status(): Promise<WorkerStatus> {
      const current = await currentTokens();
      const lastError = (await api.storage.session.get(LAST_ERROR_KEY))[LAST_ERROR_KEY] as
        ErrorInfo | undefined;
      return {
        signedIn: current !== undefined,
        signingIn: (await loadPendingSignIn(context)) !== undefined,
        serverName: current?.connection.profile.name,
        fhirBaseUrl: current?.connection.profile.fhirBaseUrl,
        patientId: current?.connection.patientId,
        account: current?.connection.account,
        scope: current?.tokens.scope,
        needPatientBanner: current?.connection.needPatientBanner ?? false,
        lastError,
      };
    },

    async signIn(options: SignInOptions = {}): Promise<WorkerStatus> {
      await api.storage.session.remove(LAST_ERROR_KEY);
      try {
        const connection = await signIn(context, options);
        await scheduleRefresh(await (await sessionFor(connection)).current());
      } catch (error) {
        // Kept so that a popup closed during the sign-in can show the failure when reopened.
        await api.storage.session.set({ [LAST_ERROR_KEY]: describeError(error) });
        throw error;
      }
      return handlers.status();
    },

    async signOut(): Promise<SignOutResult> {
      const connection = await loadConnection(api);
      let result: SignOutResult = { revoked: false, error: undefined };
      try {
        if (connection) {
          await (await sessionFor(connection)).signOut();
          result = { revoked: true, error: undefined };
        }
      } catch (error) {
        result = { revoked: false, error: describeError(error) };
      } finally {
        // Signing out locally must never depend on the server being reachable.
        await api.storage.session.remove([TOKENS_KEY, LAST_ERROR_KEY]);
        await api.storage.local.remove(TOKENS_KEY);
        await clearConnection(api);
        await api.alarms.clear(REFRESH_ALARM);
        cached = undefined;
      }
      return result;
    },

    /**
     * A usable access token. `rejected` lists tokens the FHIR server answered 401 to (one can
     * expire early, e.g. on a server clock ahead of ours): when the current one is among them, the
     * tokens are refreshed (single-flight) rather than handed out again.
     * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
     */
    async accessToken(options: { rejected?: string[] } = {}): Promise<AccessGrant> {
      const connection = await loadConnection(api);
      const session = connection ? await sessionFor(connection) : undefined;
      const stored = await session?.current();
      if (!connection || !session || !stored) {
        throw new NotSignedInError('You are not signed in.');
      }
      const accessToken = options.rejected?.includes(stored.accessToken)
        ? (await session.refresh()).accessToken
        : await session.getAccessToken();
      const tokens = await session.current();
      await scheduleRefresh(tokens);
      return {
        accessToken,
        fhirBaseUrl: connection.profile.fhirBaseUrl,
        patientId: connection.patientId,
        scope: tokens?.scope ?? '',
      };
    },
  };

  return {
    handlers,
    /** The `runtime.onMessage` listener: every message goes through {@link dispatch}. */
    onMessage: (message: unknown) => dispatch(handlers, message),
    /** The `alarms.onAlarm` listener: refreshes ahead of expiry and schedules the next one. */
    async onAlarm(alarm: AlarmInfo): Promise<void> {
      if (alarm.name !== REFRESH_ALARM) return;
      const connection = await loadConnection(api);
      if (!connection) return;
      const session = await sessionFor(connection);
      try {
        await scheduleRefresh(await session.refresh());
      } catch (error) {
        await api.storage.session.set({ [LAST_ERROR_KEY]: describeError(error) });
      }
    },
  };
}

/** The worker's handler map, as pages call it through `callWorker`. */
export type WorkerHandlers = ReturnType<typeof createWorker>['handlers'];
