import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPkce } from '@patient-access/auth-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findChromium, launchChromium } from '../../../../test-support/chromium.js';
import { GUIDE_CLIENT, GUIDE_USERS } from '../../../../test-support/guide.js';
import { startMockServer, type RunningMockServer } from '../server.js';

const executablePath = findChromium();
if (!executablePath) {
  console.warn('SESSION IFRAME BROWSER TEST SKIPPED: no Chromium found (set CHROME_PATH).');
}

/**
 * A relying party on 127.0.0.1 (same site as the mock, another origin): `/` frames the mock's
 * check_session_iframe and exposes `check(message)`, which posts to it and resolves with its
 * answer, as OIDC Session Management's RP iframe does; `/callback` shows nothing.
 * @see https://openid.net/specs/openid-connect-session-1_0.html#RPiframe
 */
function startRelyingParty(iframeUrl: string): Promise<{ server: Server; origin: string }> {
  const page = `<!DOCTYPE html><html><body>
<iframe id="op" src="${iframeUrl}"></iframe>
<script>
  window.opLoaded = new Promise((resolve) => document.getElementById('op').addEventListener('load', resolve));
  window.check = (message) => new Promise((resolve) => {
    window.addEventListener('message', function once(event) {
      window.removeEventListener('message', once);
      resolve(event.data);
    });
    document.getElementById('op').contentWindow.postMessage(message, new URL('${iframeUrl}').origin);
  });
</script></body></html>`;
  const server = createServer((request, response) => {
    const type = request.url?.startsWith('/callback') ? 'text/plain' : 'text/html';
    response.writeHead(200, { 'content-type': type }).end(type === 'text/html' ? page : 'ok');
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    );
  });
}

describe.runIf(executablePath)('check_session_iframe in Chromium', () => {
  let mock: RunningMockServer;
  let rp: { server: Server; origin: string };
  let browser: Browser;

  beforeAll(async () => {
    mock = await startMockServer({ port: 0, host: '127.0.0.1', logLevel: 'silent' });
    rp = await startRelyingParty(`${mock.issuer}/protocol/openid-connect/login-status-iframe.html`);
    browser = await launchChromium(executablePath as string);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await mock?.close();
    await new Promise((resolve) => rp?.server.close(resolve));
  });

  async function framed(page: Page): Promise<void> {
    await page.goto(`${rp.origin}/`);
    await page.evaluate(() => (globalThis as unknown as { opLoaded: Promise<void> }).opLoaded);
  }

  const check = (page: Page, message: string) =>
    page.evaluate(
      (text) => (globalThis as unknown as { check(m: string): Promise<string> }).check(text),
      message,
    );

  /** Signs DavidFHIR in through the browser; the session_state of the callback. */
  async function signIn(page: Page): Promise<string> {
    const pkce = await createPkce();
    const authorize = new URL(`${mock.issuer}/protocol/openid-connect/auth`);
    for (const [name, value] of Object.entries({
      response_type: 'code',
      client_id: GUIDE_CLIENT.clientId,
      redirect_uri: `${rp.origin}/callback`,
      scope: 'openid launch/patient patient/Patient.read',
      state: 'session-iframe',
      aud: mock.fhirBaseUrl,
      code_challenge: pkce.challenge,
      code_challenge_method: 'S256',
    })) {
      authorize.searchParams.set(name, value);
    }
    await page.goto(authorize.href);
    await page.fill('#username', GUIDE_USERS.david.username);
    await page.fill('#password', GUIDE_USERS.david.password);
    await page.click('#kc-login');
    await page.waitForSelector('#kc-select-patient-form');
    await page.click('#kc-accept');
    await page.waitForURL(`${rp.origin}/callback?**`);
    return new URL(page.url()).searchParams.get('session_state') ?? '';
  }

  test('answers "changed" before sign-in, "unchanged" for the session signed in, "changed" for another', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await framed(page);
    expect(await check(page, `${GUIDE_CLIENT.clientId} 5c1a-not-a-session`)).toBe('changed');

    const sessionState = await signIn(page);
    expect(sessionState).toMatch(/^[0-9a-f-]{36}$/);
    await framed(page);
    expect(await check(page, `${GUIDE_CLIENT.clientId} ${sessionState}`)).toBe('unchanged');
    expect(await check(page, `${GUIDE_CLIENT.clientId} 00000000-0000-0000-0000-000000000000`)).toBe(
      'changed',
    );
    await context.close();
  }, 30_000);

  test('answers "error" for a client that does not allow the framing origin', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await framed(page);
    expect(await check(page, 'no-such-client some-state')).toBe('error');
    await context.close();
  }, 30_000);
});
