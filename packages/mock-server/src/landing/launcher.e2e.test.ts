import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basicAuthorization, createPkce, type Pkce } from '@patient-access/auth-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findChromium, launchChromium } from '../../../../test-support/chromium.js';
import { GUIDE_CLIENT, GUIDE_USERS } from '../../../../test-support/guide.js';
import { startMockServer, type RunningMockServer } from '../server.js';

const { david, alex } = GUIDE_USERS;
const SCOPE = 'openid fhirUser launch patient/Patient.read patient/Encounter.read';

const executablePath = findChromium();
if (!executablePath) {
  console.warn('LAUNCHER BROWSER TEST SKIPPED: no Chromium found (set CHROME_PATH).');
}

describe.runIf(!executablePath && process.env.CI === 'true')('browser availability', () => {
  test('finds Chromium in CI', () => {
    expect(executablePath, 'Chromium is required in CI: apt-get install -y chromium').toBeDefined();
  });
});

/** What the test app saw: the launch it was opened with and the token response it obtained. */
interface AppLog {
  launches: { iss: string | null; launch: string | null }[];
  tokens?: Record<string, unknown>;
  encounterStatus?: number;
}

const escape = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A minimal SMART app served on 127.0.0.1: `/launch` takes `iss` and `launch`, discovers the
 * authorize endpoint from `iss` and starts an EHR launch with PKCE; `/callback` exchanges the
 * code as the guide's confidential client, reads the launch encounter and shows the context.
 */
function startTestApp(log: AppLog): Promise<{ server: Server; origin: string }> {
  let pkce: Pkce | undefined;
  let iss = '';
  let state = '';
  const server = createServer((request, response) => {
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const url = new URL(request.url ?? '/', origin);
    const redirectUri = `${origin}/callback`;
    void (async () => {
      if (url.pathname === '/launch') {
        iss = url.searchParams.get('iss') ?? '';
        const launch = url.searchParams.get('launch');
        log.launches.push({ iss, launch });
        const config = (await (await fetch(`${iss}/.well-known/smart-configuration`)).json()) as {
          authorization_endpoint: string;
        };
        pkce = await createPkce();
        state = crypto.randomUUID();
        const authorize = new URL(config.authorization_endpoint);
        for (const [name, value] of Object.entries({
          response_type: 'code',
          client_id: GUIDE_CLIENT.clientId,
          redirect_uri: redirectUri,
          scope: SCOPE,
          state,
          aud: iss,
          launch: launch ?? '',
          code_challenge: pkce.challenge,
          code_challenge_method: 'S256',
        })) {
          authorize.searchParams.set(name, value);
        }
        response.writeHead(302, { location: authorize.href }).end();
        return;
      }
      if (url.pathname === '/callback' && pkce && url.searchParams.get('state') === state) {
        const config = (await (await fetch(`${iss}/.well-known/smart-configuration`)).json()) as {
          token_endpoint: string;
        };
        const token = await fetch(config.token_endpoint, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            authorization: basicAuthorization(GUIDE_CLIENT.clientId, GUIDE_CLIENT.clientSecret),
          },
          body: new URLSearchParams({
            grant_type: 'authorization_code',
            code: url.searchParams.get('code') ?? '',
            redirect_uri: redirectUri,
            code_verifier: pkce.verifier,
          }),
        });
        const tokens = (await token.json()) as Record<string, unknown>;
        log.tokens = tokens;
        const encounter = await fetch(`${iss}/Encounter/${String(tokens.encounter)}`, {
          headers: { authorization: `Bearer ${String(tokens.access_token)}` },
        });
        log.encounterStatus = encounter.status;
        const rows = ['patient', 'encounter', 'client_type']
          .map(
            (name) => `<dt>${name}</dt><dd id="app-${name}">${escape(String(tokens[name]))}</dd>`,
          )
          .join('');
        response
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          .end(
            `<!DOCTYPE html><title>Test app</title><h1>Launched</h1><dl>${rows}<dt>Encounter read</dt><dd id="app-encounter-read">${encounter.status}</dd></dl>`,
          );
        return;
      }
      response.writeHead(404).end();
    })().catch((error: unknown) => {
      response.writeHead(500).end(String(error));
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    );
  });
}

describe.runIf(executablePath !== undefined)(
  'EHR launcher in Chromium',
  { timeout: 60_000 },
  () => {
    let mock: RunningMockServer;
    let testApp: { server: Server; origin: string };
    let browser: Browser;
    const log: AppLog = { launches: [] };

    beforeAll(async () => {
      mock = await startMockServer({ port: 0, host: '127.0.0.1', logLevel: 'silent' });
      testApp = await startTestApp(log);
      browser = await launchChromium(executablePath as string);
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await mock?.close();
      await new Promise((resolve) => testApp?.server.close(resolve));
    });

    test('takes a person from the landing page through patient and encounter to an app holding a token with that context', async () => {
      const page: Page = await browser.newPage();
      await page.goto(`${mock.url}/`);
      await page.click('#launcher-link');
      expect(new URL(page.url()).pathname).toBe('/launcher');

      await page.selectOption('#launcher-patient', alex.patientId);
      await page.click('#launcher-pick-patient');
      expect(await page.textContent('#launcher-chosen-patient')).toBe('SMITH, ALEX');
      const encounters = await page.$$eval('#launcher-encounter option', (options) =>
        options.map((option) => ({ value: option.value, selected: option.selected })),
      );
      expect(encounters[0]).toEqual({ value: '', selected: false });
      expect(encounters[1]?.selected).toBe(true);
      const chosen = (encounters[2] ?? encounters[1])!.value;
      await page.selectOption('#launcher-encounter', chosen);
      await page.fill('#launcher-launch-url', `${testApp.origin}/launch`);

      await page.click('#launcher-launch');
      await page.waitForSelector('#kc-form-login');
      expect(log.launches).toHaveLength(1);
      expect(log.launches[0]?.iss).toBe(mock.fhirBaseUrl);
      expect(log.launches[0]?.launch).toMatch(/^[\w-]{43}$/);

      await page.fill('#username', david.username);
      await page.fill('#password', david.password);
      await page.click('#kc-login');
      await page.waitForSelector('#kc-select-patient-form');
      expect(await page.textContent('#launch-patient')).toBe('SMITH, ALEX');
      expect(await page.$$('input[name=patient]')).toHaveLength(0);
      expect(await page.isVisible('#launch-encounter')).toBe(true);

      await page.click('#kc-accept');
      await page.waitForSelector('#app-patient');
      expect(await page.textContent('#app-patient')).toBe(alex.patientId);
      expect(await page.textContent('#app-encounter')).toBe(chosen);
      expect(await page.textContent('#app-client_type')).toBe('EHR');
      expect(await page.textContent('#app-encounter-read')).toBe('200');
      expect(log.tokens).toMatchObject({ patient: alex.patientId, encounter: chosen });
      await page.close();
    });

    test('shows the launcher’s error on the page when the launch URL is not http(s)', async () => {
      const page = await browser.newPage();
      await page.goto(`${mock.url}/launcher?patient=${david.patientId}`);
      await page.fill('#launcher-launch-url', 'javascript:alert(1)');
      await page.click('#launcher-launch');
      expect(await page.textContent('#input-error')).toBe(
        "The app's launch URL must be an absolute http(s) URL.",
      );
      await page.close();
    });
  },
);
