import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { parse } from 'node-html-parser';
import { FORM_HEADERS, formBody } from '../../../../test-support/cookie-jar.js';
import { GUIDE_USERS } from '../../../../test-support/guide.js';
import { FHIR_BASE, testApp } from '../test-support/identity-flow.js';

const { david } = GUIDE_USERS;
const APP = 'http://127.0.0.1:9000/launch?tenant=a';

let app: FastifyInstance;

beforeAll(async () => {
  ({ app } = await testApp());
});
afterAll(() => app.close());

const launch = (form: Record<string, string>) =>
  app.inject({ method: 'POST', url: '/launcher', payload: formBody(form), headers: FORM_HEADERS });

describe('GET /launcher', () => {
  test('offers the accounts’ patients and no launch form before one is picked', async () => {
    const response = await app.inject({ method: 'GET', url: '/launcher' });
    expect(response.statusCode).toBe(200);
    const page = parse(response.body);
    const patients = page
      .querySelectorAll('#launcher-patient option')
      .map((o) => o.getAttribute('value'));
    expect(patients).toContain(david.patientId);
    expect(patients).toContain(GUIDE_USERS.alex.patientId);
    expect(page.querySelector('#launcher-launch-form')).toBeNull();
    expect(page.querySelectorAll('script')).toHaveLength(0);
  });

  test('offers the picked patient’s encounters, most recent first and pre-selected', async () => {
    const response = await app.inject({
      method: 'GET',
      url: `/launcher?patient=${david.patientId}`,
    });
    const options = parse(response.body).querySelectorAll('#launcher-encounter option');
    expect(options[0]?.getAttribute('value')).toBe('');
    expect(options[1]?.hasAttribute('selected')).toBe(true);
    const dates = options.slice(1).map((option) => option.text.slice(0, 10));
    expect(dates.length).toBeGreaterThan(1);
    expect(dates).toEqual([...dates].sort().reverse());
  });

  test('has a CSP without scripts whose forms may reach any http(s) app', async () => {
    const response = await app.inject({ method: 'GET', url: '/launcher' });
    const csp = response.headers['content-security-policy'] as string;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'self' http: https:");
    expect(csp).not.toContain('script-src');
  });

  test('says so for an unknown patient', async () => {
    const response = await app.inject({ method: 'GET', url: '/launcher?patient=nope' });
    expect(response.statusCode).toBe(400);
    expect(parse(response.body).querySelector('#input-error')?.text).toBe('Unknown patient: nope');
  });

  test('is absent without the test controls', async () => {
    const { app: locked } = await testApp({ admin: false });
    expect((await locked.inject({ method: 'GET', url: '/launcher' })).statusCode).toBe(404);
    await locked.close();
  });
});

describe('POST /launcher', () => {
  test('sends the browser to the launch URL with iss and a launch that binds the context', async () => {
    const response = await launch({ patient: david.patientId, encounter: '', launch_url: APP });
    expect(response.statusCode).toBe(303);
    const target = new URL(response.headers.location as string);
    expect(`${target.origin}${target.pathname}`).toBe('http://127.0.0.1:9000/launch');
    expect(target.searchParams.get('tenant')).toBe('a');
    expect(target.searchParams.get('iss')).toBe(FHIR_BASE);
    expect(target.searchParams.get('launch')).toMatch(/^[\w-]{43}$/);
  });

  test.each([
    ['javascript:alert(1)', "The app's launch URL must be an absolute http(s) URL."],
    ['/relative', "The app's launch URL must be an absolute http(s) URL."],
    ['http://127.0.0.1/launch#x', "The app's launch URL must be an absolute http(s) URL."],
  ])('refuses the launch URL %s on the page', async (url, message) => {
    const response = await launch({ patient: david.patientId, launch_url: url });
    expect(response.statusCode).toBe(400);
    expect(parse(response.body).querySelector('#input-error')?.text).toBe(message);
  });

  test('refuses an encounter of another patient on the page', async () => {
    const response = await launch({ patient: david.patientId, encounter: 'x1', launch_url: APP });
    expect(response.statusCode).toBe(400);
    expect(parse(response.body).querySelector('#input-error')?.text).toBe(
      `Unknown encounter of patient ${david.patientId}: x1`,
    );
  });
});
