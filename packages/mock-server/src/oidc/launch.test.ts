import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { parse } from 'node-html-parser';
import { createPkce } from '@patient-access/auth-core';
import { GUIDE_USERS } from '../../../../test-support/guide.js';
import type { AdjustableClock } from '../clock.js';
import {
  authorize,
  authorizeParams,
  CookieJar,
  createLaunch,
  FHIR_BASE,
  formAction,
  postForm,
  signIn,
  testApp,
  tokenRequest,
} from '../test-support/identity-flow.js';
import { LAUNCH_NOT_ALLOWED } from './screens.js';

const { david, anna, alex } = GUIDE_USERS;
const EHR_SCOPE = 'openid fhirUser launch patient/Patient.read patient/Encounter.read';

let app: FastifyInstance;
let clock: AdjustableClock;

beforeAll(async () => {
  ({ app, clock } = await testApp());
});
afterAll(() => app.close());

async function encountersOf(patient: string): Promise<string[]> {
  const { tokens } = await signIn(app, {
    params: { scope: 'openid launch/patient patient/Encounter.read' },
    patient,
    username:
      patient === david.patientId || patient === alex.patientId ? david.username : anna.username,
    password: patient === anna.patientId ? anna.password : david.password,
  });
  const bundle = await app.inject({
    method: 'GET',
    url: `/api/fhir/r4/Encounter?patient=${patient}`,
    headers: { authorization: `Bearer ${tokens.access_token as string}` },
  });
  return bundle
    .json<{ entry?: { resource: { id: string } }[] }>()
    .entry!.map((entry) => entry.resource.id);
}

describe('POST /__admin/launches', () => {
  test('answers an opaque launch value and the FHIR base as iss', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/__admin/launches',
      payload: { patient: david.patientId, user: david.username },
    });
    expect(response.statusCode).toBe(201);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.json<{ launch: string; iss: string }>();
    expect(body.iss).toBe(FHIR_BASE);
    expect(body.launch).toMatch(/^[\w-]{43}$/);
  });

  test.each([
    [{ patient: '999999999' }, 'Unknown patient: 999999999'],
    [
      { patient: david.patientId, encounter: 'nope' },
      `Unknown encounter of patient ${david.patientId}: nope`,
    ],
    [{ patient: david.patientId, user: 'nobody' }, 'Unknown user: nobody'],
    [
      { patient: anna.patientId, user: david.username },
      `User ${david.username} may not select patient ${anna.patientId}`,
    ],
  ])('refuses %j with a 400 that names the problem', async (payload, description) => {
    const response = await app.inject({ method: 'POST', url: '/__admin/launches', payload });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: 'invalid_request', error_description: description });
  });

  test('refuses a body without a patient or with a patient that is not a string', async () => {
    for (const payload of [{}, { patient: { id: '428946492' } }]) {
      const response = await app.inject({ method: 'POST', url: '/__admin/launches', payload });
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toBe('invalid_request');
    }
  });
});

describe('EHR launch at authorize', () => {
  test('binds the launch patient and encounter: the token response carries them as an EHR launch', async () => {
    const [encounter] = await encountersOf(alex.patientId);
    const launch = await createLaunch(app, { patient: alex.patientId, encounter });
    const { tokens, selection } = await signIn(app, { params: { scope: EHR_SCOPE, launch } });
    expect(tokens.patient).toBe(alex.patientId);
    expect(tokens.encounter).toBe(encounter);
    expect(tokens.client_type).toBe('EHR');
    // A string under the default quirks, as on NextGen.
    expect(String(tokens.need_patient_banner)).toBe('false');
    const page = parse(selection.body);
    expect(page.querySelectorAll('input[name=patient]')).toHaveLength(0);
    expect(page.querySelector('#launch-patient')?.text).toBe('SMITH, ALEX');
    expect(page.querySelector('#launch-encounter')).not.toBeNull();
  });

  test('reads the launched encounter with the token', async () => {
    const [encounter] = await encountersOf(david.patientId);
    const launch = await createLaunch(app, { patient: david.patientId, encounter });
    const { tokens } = await signIn(app, { params: { scope: EHR_SCOPE, launch } });
    const read = await app.inject({
      method: 'GET',
      url: `/api/fhir/r4/Encounter/${encounter!}`,
      headers: { authorization: `Bearer ${tokens.access_token as string}` },
    });
    expect(read.statusCode).toBe(200);
    expect(read.json().id).toBe(encounter);
  });

  test('leaves encounter out of the token response when the launch has none', async () => {
    const launch = await createLaunch(app, { patient: david.patientId });
    const { tokens } = await signIn(app, { params: { scope: EHR_SCOPE, launch } });
    expect(tokens.patient).toBe(david.patientId);
    expect(tokens).not.toHaveProperty('encounter');
  });

  test('keeps a standalone launch a STANDALONE one', async () => {
    const { tokens } = await signIn(app);
    expect(tokens.client_type).toBe('STANDALONE');
  });

  test('keeps the launch context across a refresh', async () => {
    const [encounter] = await encountersOf(david.patientId);
    const launch = await createLaunch(app, { patient: david.patientId, encounter });
    const { tokens } = await signIn(app, {
      params: { scope: `${EHR_SCOPE} offline_access`, launch },
    });
    const refreshed = await tokenRequest(app, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token as string,
    });
    expect(refreshed.json()).toMatchObject({ encounter, client_type: 'EHR' });
  });

  async function refusal(params: Record<string, string>) {
    const response = await authorize(app, authorizeParams(await createPkce(), params));
    expect(response.statusCode).toBe(302);
    return new URL(response.headers.location as string).searchParams;
  }

  test('refuses an unknown launch value as an invalid parameter', async () => {
    const query = await refusal({ scope: EHR_SCOPE, launch: 'not-a-launch' });
    expect(query.get('error')).toBe('invalid_request');
    expect(query.get('error_description')).toBe('Invalid parameter: launch');
  });

  test('refuses a launch value used before', async () => {
    const launch = await createLaunch(app, { patient: david.patientId });
    await signIn(app, { params: { scope: EHR_SCOPE, launch } });
    const query = await refusal({ scope: EHR_SCOPE, launch });
    expect(query.get('error_description')).toBe('Invalid parameter: launch');
  });

  test('refuses a launch value past its lifetime on the mock clock', async () => {
    const launch = await createLaunch(app, { patient: david.patientId });
    clock.advance(301_000);
    const query = await refusal({ scope: EHR_SCOPE, launch });
    expect(query.get('error_description')).toBe('Invalid parameter: launch');
  });

  test('does not spend a launch on a request refused for another reason', async () => {
    const launch = await createLaunch(app, { patient: david.patientId });
    const refused = await refusal({ scope: EHR_SCOPE, launch, code_challenge_method: 'plain' });
    expect(refused.get('error_description')).toBe('Invalid parameter: code_challenge_method');
    const { tokens } = await signIn(app, { params: { scope: EHR_SCOPE, launch } });
    expect(tokens.patient).toBe(david.patientId);
  });

  test('refuses the launch scope without a launch value', async () => {
    const query = await refusal({ scope: EHR_SCOPE });
    expect(query.get('error')).toBe('invalid_request');
    expect(query.get('error_description')).toBe('Missing parameter: launch');
  });

  test('prefills the login with the launch user and asks a signed-in other user to sign in', async () => {
    const jar = new CookieJar();
    await signIn(app, {
      jar,
      username: anna.username,
      password: anna.password,
      patient: anna.patientId,
    });
    const launch = await createLaunch(app, { patient: david.patientId, user: david.username });
    const response = await authorize(
      app,
      authorizeParams(await createPkce(), { scope: EHR_SCOPE, launch }),
      jar,
    );
    const username = parse(response.body).querySelector('input[name=username]');
    expect(username?.getAttribute('value')).toBe(david.username);
  });

  test('offers only Cancel to an account that may not share the launch patient', async () => {
    const jar = new CookieJar();
    const launch = await createLaunch(app, { patient: david.patientId });
    const login = await authorize(
      app,
      authorizeParams(await createPkce(), { scope: EHR_SCOPE, launch }),
      jar,
    );
    jar.store(login);
    const selection = await postForm(
      app,
      formAction(login.body, 'kc-form-login'),
      { username: anna.username, password: anna.password },
      jar,
    );
    const page = parse(selection.body);
    expect(page.querySelector('#input-error')?.text).toBe(LAUNCH_NOT_ALLOWED);
    expect(page.querySelector('#kc-accept')).toBeNull();
    const forced = await postForm(
      app,
      formAction(selection.body, 'kc-select-patient-form'),
      { patient: anna.patientId, accept: 'yes' },
      jar,
    );
    expect(forced.statusCode).toBe(200);
    expect(forced.headers.location).toBeUndefined();
  });
});
