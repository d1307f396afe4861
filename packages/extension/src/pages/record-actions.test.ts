import type { Patient, Person } from '@medplum/fhirtypes';
import { describe, expect, test } from 'vitest';
import { workerFixture } from '../test-support/worker-fixture.js';
import {
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
