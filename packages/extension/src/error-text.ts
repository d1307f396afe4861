import { AuthCoreError, FhirError, OAuthError } from '@patient-access/auth-core';

/** An error as it crosses `runtime` messaging: a stable code and a sentence for the user. */
export interface ErrorInfo {
  code: string;
  message: string;
}

/**
 * A `{ ok: false }` reply from the service worker, rethrown on the calling side: its sentence was
 * already written by {@link describeError} in the worker.
 */
export class WorkerError extends Error {
  readonly code: string;

  constructor(info: ErrorInfo) {
    super(info.message);
    this.name = 'WorkerError';
    this.code = info.code;
  }
}

/**
 * `launchWebAuthFlow` rejects with bare Errors. Chromium says "The user did not approve access."
 * for a closed window and "Authorization page could not be loaded." for a page in it failing to
 * load (a server down, or any non-2xx page). Firefox says "User cancelled or denied access." for a
 * closed window and "Invalid request" when the request it sends to the sign-in page before opening
 * the window fails with a status; it shows non-2xx pages, and its own error page for a server
 * down, in the window like any other.
 * @see https://developer.chrome.com/docs/extensions/reference/api/identity#method-launchWebAuthFlow
 * @see https://searchfox.org/mozilla-central/source/toolkit/components/extensions/parent/ext-identity.js
 */
const WEB_AUTH_FLOW_ERRORS: readonly [RegExp, ErrorInfo][] = [
  [
    /did not approve|user cancelled|canceled|cancelled/i,
    {
      code: 'ERR_SIGN_IN_CANCELLED',
      message: 'The sign-in window was closed before you finished signing in.',
    },
  ],
  [
    /could not be loaded|ERR_CONNECTION|net::|^Invalid request$/i,
    {
      code: 'ERR_SIGN_IN_PAGE_UNAVAILABLE',
      message:
        'The sign-in page could not be loaded. Check that the server is running and reachable.',
    },
  ],
];

function oauthText(error: OAuthError): string {
  switch (error.error) {
    case 'invalid_grant':
      return 'Your sign-in has expired or was revoked. Please sign in again.';
    case 'invalid_client':
    case 'unauthorized_client':
      return 'The server does not accept this extension’s client ID or secret. Check them in the options.';
    case 'invalid_scope':
      return 'The server refused the requested permissions. Choose fewer record types in the options.';
    default:
      return `The server refused the request (${error.error}${error.error_description ? `: ${error.error_description}` : ''}).`;
  }
}

function fhirText(error: FhirError): string {
  // NextGen answers 401 for a resource the token may not see, too; the auth core tells it apart.
  if (error.notAuthorized) return 'This part of the record was not shared with this app.';
  switch (error.status) {
    case 401:
      return 'Your session has expired. Please sign in again.';
    case 403:
      return 'This part of the record was not shared with this app.';
    case 404:
      return 'The server has no such record.';
    default:
      return `The record server answered with an error (${error.status ?? 'no status'}).`;
  }
}

function authCoreText(error: AuthCoreError): string {
  if (error instanceof OAuthError) return oauthText(error);
  if (error instanceof FhirError) return fhirText(error);
  switch (error.code) {
    case 'ERR_AUTHORIZATION_DENIED':
      return 'Sign-in was cancelled or access was refused.';
    case 'ERR_NETWORK':
      return 'The server could not be reached. Check that it is running and that you are online.';
    case 'ERR_TIMEOUT':
      return 'The server took too long to answer. Please try again.';
    case 'ERR_STATE_MISMATCH':
    case 'ERR_CALLBACK_INVALID':
      return 'The sign-in response did not match this sign-in attempt, so it was rejected. Please try again.';
    case 'ERR_ISSUER_MISMATCH':
    case 'ERR_ID_TOKEN_INVALID':
      return 'The server’s identity could not be verified, so the sign-in was rejected.';
    case 'ERR_NOT_SIGNED_IN':
      return 'You are not signed in.';
    case 'ERR_DISCOVERY':
      return 'The server’s SMART configuration could not be read. Check the server address.';
    case 'ERR_RESPONSE_INVALID':
      return 'The server sent an answer this extension does not understand.';
    case 'ERR_SCOPE_INVALID':
      return 'One of the requested permissions is not valid.';
    default:
      return error.message;
  }
}

/** The user-facing sentence and stable code for anything thrown in the extension. */
export function describeError(error: unknown): ErrorInfo {
  if (error instanceof WorkerError) return { code: error.code, message: error.message };
  if (error instanceof AuthCoreError) return { code: error.code, message: authCoreText(error) };
  const message = error instanceof Error ? error.message : String(error);
  for (const [pattern, info] of WEB_AUTH_FLOW_ERRORS) {
    if (pattern.test(message)) return info;
  }
  return { code: 'ERR_UNEXPECTED', message: `Something went wrong: ${message}` };
}
