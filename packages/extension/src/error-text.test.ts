import { FhirError, NetworkError, OAuthError } from '@patient-access/auth-core';
import { describe, expect, test } from 'vitest';
import { describeError, WorkerError } from './error-text.js';

describe('describeError', () => {
  test('explains invalid_grant as an ended sign-in', () => {
    expect(describeError(new OAuthError({ error: 'invalid_grant' }, { status: 400 }))).toEqual({
      code: 'ERR_OAUTH',
      message: 'Your sign-in has expired or was revoked. Please sign in again.',
    });
  });

  test('explains invalid_scope as refused permissions', () => {
    expect(describeError(new OAuthError({ error: 'invalid_scope' })).message).toBe(
      'The server refused the requested permissions. Choose fewer record types in the options.',
    );
  });

  test('explains a FHIR 403 as a part of the record not shared', () => {
    const error = new FhirError(
      'denied',
      { resourceType: 'OperationOutcome', issue: [] },
      { status: 403 },
    );
    expect(describeError(error).message).toBe(
      'This part of the record was not shared with this app.',
    );
  });

  test("explains NextGen's 401 not-authorized as a part of the record not shared, not an expiry", () => {
    const error = new FhirError(
      'Resource not authorized to be viewed by this user',
      { resourceType: 'OperationOutcome', issue: [] },
      { status: 401, notAuthorized: true },
    );
    expect(describeError(error).message).toBe(
      'This part of the record was not shared with this app.',
    );
  });

  test('explains a network failure as an unreachable server', () => {
    expect(describeError(new NetworkError('fetch failed')).code).toBe('ERR_NETWORK');
  });

  test('passes on a sentence the service worker already wrote', () => {
    const info = { code: 'ERR_SIGN_IN_CANCELLED', message: 'The sign-in window was closed.' };
    expect(describeError(new WorkerError(info))).toEqual(info);
  });

  test('explains Firefox’s closed sign-in window as a sign-in not finished', () => {
    expect(describeError(new Error('User cancelled or denied access.')).code).toBe(
      'ERR_SIGN_IN_CANCELLED',
    );
  });

  test('explains Firefox’s failed check of the sign-in page as a page not loaded', () => {
    expect(describeError(new Error('Invalid request')).code).toBe('ERR_SIGN_IN_PAGE_UNAVAILABLE');
  });

  test('keeps the text of an unexpected error behind a stable code', () => {
    expect(describeError(new Error('boom'))).toEqual({
      code: 'ERR_UNEXPECTED',
      message: 'Something went wrong: boom',
    });
  });
});
