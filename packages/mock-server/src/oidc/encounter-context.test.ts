import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { parse } from 'node-html-parser';
import { GUIDE_USERS } from '../../../../test-support/guide.js';
import { obtainCode, signIn, testApp } from '../test-support/identity-flow.js';
import { LOGIN_MESSAGES } from './login-actions.js';

const { david, alex } = GUIDE_USERS;
const SCOPE = 'openid fhirUser launch/patient launch/encounter patient/Encounter.read';

let app: FastifyInstance;

beforeAll(async () => {
  ({ app } = await testApp());
});
afterAll(() => app.close());

/** The encounter radios the selection screen offers for `patient`, in order, and the checked one. */
async function offered(patient: string) {
  const { selection } = await obtainCode(app, { params: { scope: SCOPE } });
  const radios = parse(selection.body).querySelectorAll(`input[name=encounter-${patient}]`);
  return {
    ids: radios.map((radio) => radio.getAttribute('value') ?? ''),
    checked: radios
      .filter((radio) => radio.hasAttribute('checked'))
      .map((radio) => radio.getAttribute('value')),
  };
}

async function startsOf(token: string, ids: readonly string[]): Promise<string[]> {
  return Promise.all(
    ids.map(async (id) => {
      const read = await app.inject({
        method: 'GET',
        url: `/api/fhir/r4/Encounter/${id}`,
        headers: { authorization: `Bearer ${token}` },
      });
      return read.json<{ period: { start: string } }>().period.start;
    }),
  );
}

describe('launch/encounter in a standalone launch', () => {
  test('offers each selectable patient’s encounters, most recent first, the first pre-selected', async () => {
    const own = await offered(david.patientId);
    const dependent = await offered(alex.patientId);
    expect(own.ids.length).toBeGreaterThan(1);
    expect(dependent.ids.length).toBeGreaterThan(0);
    expect(own.checked).toEqual([own.ids[0]]);
    const { tokens } = await signIn(app, { params: { scope: SCOPE } });
    const starts = await startsOf(tokens.access_token as string, own.ids);
    expect(starts).toEqual([...starts].sort().reverse());
  });

  test('carries the pre-selected encounter in the token response by default', async () => {
    const { ids } = await offered(david.patientId);
    const { tokens } = await signIn(app, { params: { scope: SCOPE } });
    expect(tokens.encounter).toBe(ids[0]);
  });

  test('carries the encounter the person chose, readable with the token', async () => {
    const { ids } = await offered(alex.patientId);
    const chosen = ids.at(-1)!;
    const { tokens } = await signIn(app, {
      params: { scope: SCOPE },
      patient: alex.patientId,
      form: { [`encounter-${alex.patientId}`]: chosen },
    });
    expect(tokens).toMatchObject({ patient: alex.patientId, encounter: chosen });
    const read = await app.inject({
      method: 'GET',
      url: `/api/fhir/r4/Encounter/${chosen}`,
      headers: { authorization: `Bearer ${tokens.access_token as string}` },
    });
    expect(read.statusCode).toBe(200);
  });

  test('asks again when the posted encounter is not one of the chosen patient’s', async () => {
    const { ids } = await offered(alex.patientId);
    await expect(
      obtainCode(app, {
        params: { scope: SCOPE },
        patient: david.patientId,
        form: { [`encounter-${david.patientId}`]: ids[0]! },
      }),
    ).rejects.toThrow(LOGIN_MESSAGES.chooseEncounter);
  });

  test('offers no encounters and returns none without launch/encounter', async () => {
    const { selection } = await obtainCode(app);
    expect(parse(selection.body).querySelectorAll('fieldset.encounters')).toHaveLength(0);
    const { tokens } = await signIn(app);
    expect(tokens).not.toHaveProperty('encounter');
  });
});
