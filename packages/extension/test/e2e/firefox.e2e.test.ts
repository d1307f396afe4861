import { fileURLToPath } from 'node:url';
import { startMockServer, type RunningMockServer } from '@patient-access/mock-server';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  buildForFirefox,
  findFirefox,
  launchFirefoxWithExtension,
  type FirefoxWithExtension,
} from './firefox.js';
import type { GuideUser } from '../../../../test-support/guide.js';
import { readSectionOutcomes, recordSettled, SCENARIOS } from './record-outcomes.js';

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
    // After a failed attempt the popup offers a retry where Connect was.
    await page.click('[data-testid="connect"], [data-testid="retry"]');
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
    await popup.waitForSelector(
      '[data-testid="connect"], [data-testid="sign-out"], [data-testid="retry"]',
    );
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

  test('says the server cannot be reached, at once and with a retry, when it is down', async () => {
    const gone = await startMockServer({ port: 0, host: '127.0.0.1', logLevel: 'silent' });
    const options = await firefox.openPage('options.html');
    await saveMockAddress(options, gone.url);
    await gone.close();
    try {
      const popup = await firefox.openPage('popup.html');
      await signOut(popup);
      // The previous test's failure left a retry where Connect was.
      await popup.click('[data-testid="connect"], [data-testid="retry"]');
      await expectErrorSentence(
        popup,
        'The server could not be reached. Check that it is running and that you are online.',
      );
      expect(firefox.browser.targets().map((target) => target.url())).not.toContainEqual(
        expect.stringContaining('/protocol/openid-connect/auth'),
      );
      await popup.close();
    } finally {
      await saveMockAddress(options, mock.url);
      await options.close();
    }
  });

  /** Waits until the page names a patient and no section is still loading. */
  async function settled(page: Page): Promise<void> {
    await page.waitForFunction(recordSettled);
  }

  /** Whom the page names: the patient, and the account holder on a dependent's record. */
  async function identity(page: Page) {
    return page.evaluate(() => {
      const text = (id: string) =>
        document.querySelector(`[data-testid="${id}"]`)?.textContent ?? undefined;
      return {
        name: text('patient-name'),
        birthDate: text('patient-birthdate'),
        sex: text('patient-sex'),
        mrn: text('patient-mrn'),
        signedInAs: text('signed-in-as'),
      };
    });
  }

  describe.each(SCENARIOS)('$title', (scenario) => {
    const expected = {
      name: scenario.patient.name,
      birthDate: scenario.patient.birthDate,
      sex: scenario.patient.sex,
      mrn: scenario.patient.mrn,
      signedInAs: scenario.signedInAs,
    };

    test('the popup names the patient whatever need_patient_banner says and shows every section', async () => {
      const popup = await firefox.openPage('popup.html');
      await signOut(popup);
      await signIn(popup, scenario.user, scenario.patient.patientId);
      await settled(popup);
      expect(await identity(popup)).toEqual(expected);
      expect(await popup.evaluate(readSectionOutcomes)).toEqual(scenario.outcomes);
      await popup.close();
    });

    test('the record page names the patient and shows every section with its entries or as empty', async () => {
      const record = await firefox.openPage('record.html');
      await settled(record);
      expect(await identity(record)).toEqual(expected);
      expect(await record.evaluate(readSectionOutcomes)).toEqual(scenario.outcomes);
      await record.close();
    });
  });
});
