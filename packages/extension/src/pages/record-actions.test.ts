import type { Patient, Person } from '@medplum/fhirtypes';
import { FhirClient } from '@patient-access/auth-core';
import { describe, expect, test, vi } from 'vitest';
import { workerFixture } from '../test-support/worker-fixture.js';
import {
  ccdaUrl,
  downloadCcda,
  offersPatientSwitch,
  readAccount,
  readSignInState,
  recordExport,
  recordOwner,
  signIn,
  signOut,
} from './record-actions.js';

async function connected() {
  const fixture = await workerFixture();
  fixture.api.runtime.onMessage.addListener((message) => fixture.worker.onMessage(message));
  return fixture;
}

const DAVID: Person = {
  resourceType: 'Person',
  id: '4007449',
  name: [{ given: ['David'], family: 'Smith' }],
  link: [
    { target: { reference: 'Patient/428946492' } },
    { target: { reference: 'Patient/429119572' } },
  ],
};
const ALEX: Patient = {
  resourceType: 'Patient',
  id: '429119572',
  name: [{ given: ['Alex'], family: 'Smith' }],
};

describe('record actions', () => {
  test('reads a fresh profile as signed out, naming the configured server', async () => {
    const { api } = await connected();
    expect(await readSignInState(api)).toEqual({
      signedIn: false,
      error: undefined,
      serverName: 'Mock (http://127.0.0.1:9999)',
      signingIn: false,
    });
  });

  test('signs in through the worker and then reads as signed in to the patient', async () => {
    const { api, server } = await connected();
    expect(await signIn(api, { prompt: 'login' })).toBeUndefined();
    const state = await readSignInState(api);
    expect(state.signedIn && state.status.patientId).toBe(server.patientId);
  });

  test('turns a closed sign-in window into the sentence to show', async () => {
    const { api } = await connected();
    api.webAuthFlow = () => Promise.reject(new Error('The user did not approve access.'));
    expect(await signIn(api, {})).toEqual({
      code: 'ERR_SIGN_IN_CANCELLED',
      message: 'The sign-in window was closed before you finished signing in.',
    });
  });

  test('signs out without an error when the server confirms the revocation', async () => {
    const { api } = await connected();
    await signIn(api, {});
    expect((await signOut(api)).error).toBeUndefined();
    expect((await readSignInState(api)).signedIn).toBe(false);
  });

  test('says the device is signed out even when the server cannot confirm it', async () => {
    const { api, server } = await connected();
    await signIn(api, {});
    server.revocationDown = true;
    const { error } = await signOut(api);
    expect(error?.message).toMatch(
      /^Signed out on this device, but the server could not confirm it/,
    );
    expect((await readSignInState(api)).signedIn).toBe(false);
  });

  test('names the account holder beside a dependent’s record', () => {
    expect(recordOwner(ALEX, DAVID)).toEqual({
      patientName: 'Alex Smith',
      signedInAs: 'David Smith',
    });
  });

  test('names nobody else on the account holder’s own record', () => {
    expect(recordOwner({ ...ALEX, id: '428946492' }, DAVID).signedInAs).toBeUndefined();
  });

  test('offers a patient switch only to accounts with dependents, or unknown ones', () => {
    expect(offersPatientSwitch(DAVID)).toBe(true);
    expect(offersPatientSwitch({ ...DAVID, link: DAVID.link?.slice(0, 1) })).toBe(false);
    expect(offersPatientSwitch(undefined)).toBe(true);
  });

  test('reads no account when the token names no Person', async () => {
    const read = () => Promise.reject(new Error('never called'));
    expect(await readAccount({ read }, { account: 'Patient/1' })).toBeUndefined();
  });

  test('exports the patient first, in a collection Bundle named after the patient', async () => {
    const file = recordExport({
      patient: ALEX,
      resources: [{ resourceType: 'Condition', id: 'c1', subject: {} }],
      fhirBaseUrl: 'http://127.0.0.1:9999/api/fhir/r4',
      patientId: '429119572',
      now: new Date(Date.UTC(2026, 0, 1)),
    });
    const bundle = JSON.parse(await file.blob.text()) as {
      type: string;
      entry: { fullUrl: string }[];
    };
    expect(file.filename).toBe('health-record-429119572.json');
    expect(bundle.type).toBe('collection');
    expect(bundle.entry.map((entry) => entry.fullUrl)).toEqual([
      'http://127.0.0.1:9999/api/fhir/r4/Patient/429119572',
      'http://127.0.0.1:9999/api/fhir/r4/Condition/c1',
    ]);
  });
});

const CCD = '<?xml version="1.0"?>\n<ClinicalDocument xmlns="urn:hl7-org:v3"></ClinicalDocument>';
const BASE = 'http://127.0.0.1:8765/api/fhir/r4';

function ccdaServer(answer: (token: string) => Response) {
  const fetch = vi.fn(async (_url: URL | RequestInfo, init?: RequestInit) =>
    answer(new Headers(init?.headers).get('authorization') ?? ''),
  );
  return fetch as unknown as typeof globalThis.fetch & typeof fetch;
}

/** The record page's part: a FHIR client on `fetch`, with tokens from `accessToken`. */
function openRecordOn(
  fetch: typeof globalThis.fetch,
  accessToken: (rejected?: string) => Promise<string>,
) {
  return {
    client: new FhirClient({
      baseUrl: BASE,
      fetch,
      accessToken: ({ rejected }) => accessToken(rejected),
    }),
  };
}

describe('downloadCcda', () => {
  test('asks the FHIR base’s origin for /api/ccda with the patient and the date range', () => {
    expect(
      ccdaUrl({ fhirBaseUrl: BASE, patientId: '428946492', from: '2024-01-01', to: '2024-12-31' })
        .href,
    ).toBe('http://127.0.0.1:8765/api/ccda?patient=428946492&date=ge2024-01-01&date=le2024-12-31');
  });

  test('saves the XML with the session’s bearer token', async () => {
    const fetch = ccdaServer(() => new Response(CCD, { headers: { 'content-type': 'text/xml' } }));
    const file = await downloadCcda(
      openRecordOn(fetch, async () => 'at-1'),
      { patientId: '428946492' },
    );
    expect(await file.blob.text()).toBe(CCD);
    expect(file.filename).toBe('health-record-428946492.xml');
    expect(new Headers(fetch.mock.calls[0]?.[1]?.headers).get('authorization')).toBe('Bearer at-1');
  });

  test('retries once with a refreshed token after a 401', async () => {
    const fetch = ccdaServer((auth) =>
      auth === 'Bearer at-2' ? new Response(CCD) : new Response(null, { status: 401 }),
    );
    const tokens = vi.fn(async (rejected?: string) => (rejected ? 'at-2' : 'at-1'));
    await downloadCcda(openRecordOn(fetch, tokens), { patientId: 'p' });
    expect(tokens).toHaveBeenLastCalledWith('at-1');
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  test('says clearly when the server has no C-CDA (404)', async () => {
    const fetch = ccdaServer(() => new Response('Not found', { status: 404 }));
    await expect(
      downloadCcda(
        openRecordOn(fetch, async () => 't'),
        { patientId: 'p' },
      ),
    ).rejects.toMatchObject({
      status: 404,
      message: 'This server offers no C-CDA document for this patient (it answered 404 Not Found).',
    });
  });

  test('quotes the server’s OperationOutcome when the refreshed token is refused too (401)', async () => {
    const fetch = ccdaServer(() =>
      Response.json(
        {
          resourceType: 'OperationOutcome',
          issue: [
            {
              severity: 'error',
              code: 'security',
              diagnostics: 'Resource not authorized to be viewed by this user',
            },
          ],
        },
        { status: 401 },
      ),
    );
    await expect(
      downloadCcda(
        openRecordOn(fetch, async () => 't'),
        { patientId: 'p' },
      ),
    ).rejects.toMatchObject({
      status: 401,
      message:
        'The server did not let this app download the C-CDA document (401): Resource not authorized to be viewed by this user',
    });
  });

  test('asks to sign in again when a bare 401 survives the refreshed token', async () => {
    const fetch = ccdaServer(() => new Response(null, { status: 401 }));
    const tokens = async (rejected?: string) => (rejected ? 'at-2' : 'at-1');
    await expect(
      downloadCcda(openRecordOn(fetch, tokens), { patientId: 'p' }),
    ).rejects.toMatchObject({
      status: 401,
      message:
        'The server did not let this app download the C-CDA document (401): sign in again, or ask the practice to share it.',
    });
  });

  test('says the server could not be reached when the request fails', async () => {
    const fetch = vi.fn(() => Promise.reject(new TypeError('fetch failed')));
    await expect(
      downloadCcda(
        openRecordOn(fetch as unknown as typeof globalThis.fetch, async () => 't'),
        {
          patientId: 'p',
        },
      ),
    ).rejects.toMatchObject({
      message:
        'The C-CDA document could not be fetched: the server could not be reached (fetch failed).',
    });
  });

  test('waits a minute for the document, longer than a read, then says the server took too long', async () => {
    vi.useFakeTimers();
    try {
      const fetch = vi.fn(() => new Promise<Response>(() => undefined));
      const open = openRecordOn(fetch as unknown as typeof globalThis.fetch, async () => 't');
      let settled = false;
      const download = downloadCcda(open, { patientId: 'p' }).finally(() => {
        settled = true;
      });
      const outcome = expect(download).rejects.toMatchObject({
        message: 'The C-CDA document could not be fetched: the server took too long to answer.',
      });
      await vi.advanceTimersByTimeAsync(59_999);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await outcome;
    } finally {
      vi.useRealTimers();
    }
  });

  test('refuses an answer that is not a ClinicalDocument', async () => {
    const fetch = ccdaServer(() => new Response('<html>login</html>'));
    await expect(
      downloadCcda(
        openRecordOn(fetch, async () => 't'),
        { patientId: 'p' },
      ),
    ).rejects.toMatchObject({ code: 'ERR_CCDA' });
  });

  test('refuses a start date after the end date before asking the server', async () => {
    const fetch = ccdaServer(() => new Response(CCD));
    await expect(
      downloadCcda(
        openRecordOn(fetch, async () => 't'),
        { patientId: 'p', from: '2025-01-01', to: '2024-01-01' },
      ),
    ).rejects.toMatchObject({ message: 'The start date is after the end date.' });
    expect(fetch).not.toHaveBeenCalled();
  });
});
