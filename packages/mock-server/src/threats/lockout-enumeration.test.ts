import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { parse } from 'node-html-parser';
import { createPkce } from '@patient-access/auth-core';
import { GUIDE_USERS } from '../../../../test-support/guide.js';
import {
  authorize,
  authorizeParams,
  CookieJar,
  formAction,
  postForm,
  testApp,
} from '../test-support/identity-flow.js';

let app: FastifyInstance;

beforeAll(async () => {
  ({ app } = await testApp({ lockout: { maxFailures: 5, lockSeconds: 60 } }));
});
afterAll(() => app.close());

async function attempt(username: string, password: string): Promise<LightMyRequestResponse> {
  const jar = new CookieJar();
  const page = await authorize(app, authorizeParams(await createPkce()), jar);
  jar.store(page);
  return postForm(app, formAction(page.body, 'kc-form-login'), { username, password }, jar);
}

/** What an attacker reads on the page: status, the alert, the form's fields (its one-time codes aside). */
function visible(response: LightMyRequestResponse) {
  const root = parse(response.body);
  return {
    status: response.statusCode,
    alert: root.querySelector('#input-error, .alert-error, [role=alert]')?.text.trim(),
    fields: root
      .querySelectorAll('form#kc-form-login input')
      .map((input) => `${input.getAttribute('name')}=${input.getAttribute('type')}`),
    text: root.querySelector('body')?.text.replace(/\s+/g, ' ').trim(),
  };
}

describe('the lockout against user enumeration', () => {
  test('answers a locked real account exactly as an unknown one, after five failures each', async () => {
    const real = GUIDE_USERS.anna.username;
    const unknown = 'nobody-at-all';
    for (let i = 0; i < 5; i += 1) {
      await attempt(real, `wrong-${i}`);
      await attempt(unknown, `wrong-${i}`);
    }
    const lockedReal = visible(await attempt(real, 'wrong-again'));
    const lockedUnknown = visible(await attempt(unknown, 'wrong-again'));
    expect(lockedReal.alert).toBe('Invalid username or password.');
    expect({ ...lockedReal, text: lockedReal.text?.replace(real, '<name>') }).toEqual({
      ...lockedUnknown,
      text: lockedUnknown.text?.replace(unknown, '<name>'),
    });
  });

  test('still refuses the right password while the account is locked, with the same message', async () => {
    const { username, password } = GUIDE_USERS.alex;
    for (let i = 0; i < 5; i += 1) await attempt(username, 'wrong');
    const response = await attempt(username, password);
    expect(visible(response).alert).toBe('Invalid username or password.');
    expect(response.headers.location).toBeUndefined();
    expect(parse(response.body).querySelector('form#kc-select-patient-form')).toBeNull();
  });
});
