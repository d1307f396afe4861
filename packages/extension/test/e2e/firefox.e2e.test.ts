import { fileURLToPath } from 'node:url';
import { startMockServer, type RunningMockServer } from '@patient-access/mock-server';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GUIDE_USERS, type GuideUser } from '../../../../test-support/guide.js';
import {
  buildForFirefox,
  findFirefox,
  launchFirefoxWithExtension,
  type FirefoxWithExtension,
} from './firefox.js';
import { readSectionOutcomes, RECORD_OUTCOMES, type SectionOutcomes } from './record-outcomes.js';

/** Firefox's redirect URL for the gecko id: `https://<sha1 of the id>.extensions.allizom.org/`. */
const REDIRECT_URL =
  'https://0cd92b4e37d0cd061461cdbe26da33a690f359d9.extensions.allizom.org/callback';
const packageDir = fileURLToPath(new URL('../../', import.meta.url));

const executablePath = findFirefox();
if (!executablePath) {
  const banner = '!'.repeat(78);
  console.warn(
    `\n${banner}\n  BROWSER TESTS SKIPPED: no Firefox ESR found (set FIREFOX_PATH, or apt-get install firefox-esr).\n  The extension's Firefox end-to-end tests did not run.\n${banner}\n`,
  );
}

/** In CI a missing browser is a failure, never a silent skip. */
describe.runIf(!executablePath && process.env.CI === 'true')('Firefox availability', () => {
  test('finds Firefox ESR in CI', () => {
    expect(
      executablePath,
      'Firefox ESR is required in CI: apt-get install -y firefox-esr',
    ).toBeDefined();
  });
});

/** Who signs in, whom they choose on the selection screen, and whose record that is. */
interface Scenario {
  title: string;
  user: GuideUser;
  patientId: string;
  patientName: string;
  outcomes: SectionOutcomes;
}

const SCENARIOS: Scenario[] = [
  {
    title: 'DavidFHIR',
    user: GUIDE_USERS.david,
    patientId: GUIDE_USERS.david.patientId,
    patientName: 'DAVID SMITH',
    outcomes: RECORD_OUTCOMES.david,
  },
  {
    title: 'AnnaFHIR',
    user: GUIDE_USERS.anna,
    patientId: GUIDE_USERS.anna.patientId,
    patientName: 'ANNA SMITH',
    outcomes: RECORD_OUTCOMES.anna,
  },
  {
    title: 'AlexSmithFhir',
    user: GUIDE_USERS.alex,
    patientId: GUIDE_USERS.alex.patientId,
    patientName: 'ALEX SMITH',
    outcomes: RECORD_OUTCOMES.alex,
  },
  {
    title: 'DavidFHIR choosing his son Alex',
    user: GUIDE_USERS.david,
    patientId: GUIDE_USERS.alex.patientId,
    patientName: 'ALEX SMITH',
    outcomes: RECORD_OUTCOMES.alex,
  },
];

describe.runIf(executablePath !== undefined)('extension in Firefox', { timeout: 90_000 }, () => {
  let mock: RunningMockServer;
  let firefox: FirefoxWithExtension;

  beforeAll(async () => {
    mock = await startMockServer({ port: 0, host: '127.0.0.1', logLevel: 'silent' });
    firefox = await launchFirefoxWithExtension(
      executablePath as string,
      await buildForFirefox(packageDir),
    );
  }, 120_000);

  afterAll(async () => {
    await firefox?.close();
    await mock?.close();
  });

  /** Waits until the page's status line starts with `prefix`. */
  async function statusStartsWith(page: Page, prefix: string): Promise<void> {
    await page.waitForFunction(
      (text) =>
        document.querySelector('[data-testid="options-status"]')?.textContent?.startsWith(text),
      {},
      prefix,
    );
  }

  /**
   * Clicks Connect, logs in on the mock's login page and picks `patientId` on its selection
   * screen; Firefox closes the window when the mock redirects to the extension's redirect URL.
   */
  async function signIn(page: Page, user: GuideUser, patientId: string): Promise<void> {
    const authTarget = firefox.browser.waitForTarget((target) =>
      target.url().includes('/protocol/openid-connect/auth'),
    );
    await page.click('[data-testid="connect"]');
    const auth = await (await authTarget).asPage();
    await auth.waitForSelector('form#kc-form-login');
    await auth.type('#username', user.username);
    await auth.type('input[name=password]', user.password);
    await Promise.all([auth.waitForNavigation(), auth.click('#kc-login')]);
    await auth.click(`input[name=patient][value="${patientId}"]`);
    const closed = new Promise<void>((resolve) => auth.once('close', () => resolve()));
    await auth.click('#kc-accept');
    await closed;
  }

  /** Signs out from the popup if someone is signed in, so the next sign-in starts clean. */
  async function signOut(popup: Page): Promise<void> {
    await popup.waitForSelector('[data-testid="connect"], [data-testid="sign-out"]');
    if (await popup.$('[data-testid="sign-out"]')) {
      await popup.click('[data-testid="sign-out"]');
      await popup.waitForSelector('[data-testid="connect"]');
    }
  }

  /** Saves `address` as the mock server's on the options page. */
  async function saveMockAddress(options: Page, address: string): Promise<void> {
    await options.select('[data-testid="server-select"]', 'mock');
    await options.$eval('[data-testid="mock-url"]', (input) => {
      (input as HTMLInputElement).value = '';
    });
    await options.type('[data-testid="mock-url"]', address);
    await options.click('[data-testid="save"]');
    await statusStartsWith(options, 'Saved.');
  }

  /**
   * Expects the popup's error block, with its retry button, to say `sentence`: waits for it (an
   * earlier failure's sentence may still show for a moment), then reports what it says instead.
   */
  async function expectErrorSentence(popup: Page, sentence: string): Promise<void> {
    const shown = () =>
      popup
        .$eval('[data-testid="error"] p', (paragraph) => paragraph.textContent)
        .catch(() => null);
    await popup
      .waitForFunction(
        (expected) =>
          document.querySelector('[data-testid="error"] p')?.textContent === expected &&
          document.querySelector('[data-testid="error"] [data-testid="retry"]') !== null,
        { timeout: 15_000 },
        sentence,
      )
      .catch(() => undefined);
    expect(await shown()).toBe(sentence);
    expect(await popup.$('[data-testid="error"] [data-testid="retry"]')).not.toBeNull();
  }

  test('shows Firefox’s redirect URL on the options page and saves the mock’s address', async () => {
    const options = await firefox.openPage('options.html');
    await expect(
      options.$eval('[data-testid="redirect-url"]', (input) => (input as HTMLInputElement).value),
    ).resolves.toBe(REDIRECT_URL);
    await saveMockAddress(options, mock.url);
    await options.click('[data-testid="check-connection"]');
    await statusStartsWith(options, 'Found ');
    await options.close();
  });

  test('says the sign-in window was closed, with a retry, when the user closes it', async () => {
    const popup = await firefox.openPage('popup.html');
    await signOut(popup);
    const authTarget = firefox.browser.waitForTarget((target) =>
      target.url().includes('/protocol/openid-connect/auth'),
    );
    await popup.click('[data-testid="connect"]');
    const auth = await (await authTarget).asPage();
    await auth.waitForSelector('form#kc-form-login');
    await auth.close();
    await expectErrorSentence(
      popup,
      'The sign-in window was closed before you finished signing in.',
    );
    await popup.close();
  });

  describe.each(SCENARIOS)('$title', (scenario) => {
    let record: Page;

    afterAll(async () => {
      await record?.close();
    });

    test(`signs in and the record page names ${scenario.patientName}`, async () => {
      const popup = await firefox.openPage('popup.html');
      await signOut(popup);
      await signIn(popup, scenario.user, scenario.patientId);
      // The worker exchanges the code after the window closes; the popup shows when it is done.
      await popup.waitForSelector('[data-testid="sign-out"]');
      await popup.close();
      record = await firefox.openPage('record.html');
      await record.waitForSelector('[data-testid="patient-name"]');
      await expect(
        record.$eval('[data-testid="patient-name"]', (name) => name.textContent),
      ).resolves.toBe(scenario.patientName);
    });

    test('shows every section with its entries or as empty, never an error', async () => {
      await record.waitForFunction(
        () => !document.querySelector('[aria-busy="true"], [data-state="loading"]'),
      );
      expect(await record.evaluate(readSectionOutcomes)).toEqual(scenario.outcomes);
    });
  });
});
