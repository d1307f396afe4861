import { execFileSync } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMockServer, type RunningMockServer } from '@patient-access/mock-server';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  ccdaValidationErrors,
  locateCcdaValidator,
  validateCcdaDocuments,
} from '../../../../test-support/ccda-validator.js';
import { findChromium, launchWithExtension, type ExtensionBrowser } from './chromium.js';
import type { GuideUser } from '../../../../test-support/guide.js';
import { readSectionOutcomes, recordSettled, SCENARIOS } from './record-outcomes.js';

const EXTENSION_ID = 'bffbaicccggaljnamlkcofgcdnhpconj';
const packageDir = fileURLToPath(new URL('../../', import.meta.url));
const distDir = fileURLToPath(new URL('../../dist', import.meta.url));
// The committed screenshots change only on request, so a plain test run leaves the work tree clean.
const screenshots = process.env.UPDATE_SCREENSHOTS
  ? fileURLToPath(new URL('../../../../docs/screenshots/', import.meta.url))
  : join(tmpdir(), 'patient-access-extension-screenshots/');

const axeSource = await readFile(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

const executablePath = findChromium();
if (!executablePath) {
  const banner = '!'.repeat(78);
  console.warn(
    `\n${banner}\n  BROWSER TESTS SKIPPED: no Chromium found (set CHROME_PATH, or apt-get install chromium).\n  The extension's end-to-end tests did not run.\n${banner}\n`,
  );
}

/** In CI a missing browser is a failure, never a silent skip. */
describe.runIf(!executablePath && process.env.CI === 'true')('browser availability', () => {
  test('finds Chromium in CI', () => {
    expect(executablePath, 'Chromium is required in CI: apt-get install -y chromium').toBeDefined();
  });
});

describe.runIf(executablePath !== undefined)('extension in Chromium', { timeout: 60_000 }, () => {
  let mock: RunningMockServer;
  let browser: ExtensionBrowser;
  const url = (path: string) => `chrome-extension://${browser.extensionId}/${path}`;

  beforeAll(async () => {
    execFileSync(process.execPath, ['build.mjs'], { cwd: packageDir, stdio: 'pipe' });
    mock = await startMockServer({ port: 0, host: '127.0.0.1', logLevel: 'silent' });
    browser = await launchWithExtension(executablePath as string, distDir);
    await mkdir(screenshots, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await mock?.close();
  });

  async function openPage(path: string): Promise<Page> {
    const page = await browser.context.newPage();
    await page.goto(url(path));
    return page;
  }

  /** Clicks `connect` (or the error's retry, after a failed attempt) and returns the sign-in window. */
  async function openSignIn(page: Page): Promise<Page> {
    const [auth] = await Promise.all([
      browser.context.waitForEvent('page'),
      page.getByTestId('connect').or(page.getByTestId('retry')).click(),
    ]);
    await auth.waitForSelector('form#kc-form-login, form#kc-select-patient-form');
    return auth;
  }

  async function signIn(page: Page, username: string, password: string): Promise<void> {
    const auth = await openSignIn(page);
    await auth.fill('#username', username);
    await auth.fill('input[name=password]', password);
    await auth.click('#kc-login');
    await auth.waitForSelector('#kc-accept');
    await Promise.all([
      auth.waitForEvent('close'),
      auth.click('#kc-accept', { noWaitAfter: true }),
    ]);
  }

  async function storedAccessToken(page: Page): Promise<string> {
    return page.evaluate(async () => {
      // Runs in the extension page, where the browser's own `chrome` global exists.
      const { chrome } = globalThis as unknown as {
        chrome: { storage: { session: { get(key: string): Promise<Record<string, unknown>> } } };
      };
      const { tokens } = await chrome.storage.session.get('tokens');
      return (JSON.parse(String(tokens)) as { accessToken: string }).accessToken;
    });
  }

  test('loads with the fixed id that the redirect URL depends on', async () => {
    expect(browser.extensionId).toBe(EXTENSION_ID);
  });

  test('saves the mock’s address from the options page', async () => {
    const options = await openPage('options.html');
    await expect(options.getByTestId('redirect-url').inputValue()).resolves.toBe(
      `https://${EXTENSION_ID}.chromiumapp.org/callback`,
    );
    await options.getByTestId('server-select').selectOption('mock');
    await options.getByTestId('mock-url').fill(mock.url);
    await options.getByTestId('client-id').fill('patient-access-extension');
    await options.getByTestId('save').click();
    await options.getByText('Saved.').waitFor();
    await options.getByTestId('check-connection').click();
    await options.getByText(/^Found /).waitFor();
    await options.screenshot({ path: `${screenshots}options.png`, fullPage: true });
    await options.close();
  });

  test('keeps the login page with its error after a wrong password', async () => {
    const popup = await openPage('popup.html');
    const auth = await openSignIn(popup);
    await auth.fill('#username', 'DavidFHIR');
    await auth.fill('input[name=password]', 'not-his-password');
    await auth.click('#kc-login');
    await auth.waitForSelector('form#kc-form-login');
    await expect(auth.locator('#input-error').textContent()).resolves.toMatch(/invalid/i);
    await auth.close();
    await expect(popup.getByTestId('error').locator('p').textContent()).resolves.toBe(
      'The sign-in window was closed before you finished signing in.',
    );
    await popup.close();
  });

  test('signs DavidFHIR in through the login and selection screens and shows his record', async () => {
    const popup = await openPage('popup.html');
    await signIn(popup, 'DavidFHIR', 'password');
    await popup.getByTestId('section-Condition').getByTestId('item-Condition').first().waitFor();
    await popup.setViewportSize({ width: 400, height: 600 });
    await popup.screenshot({ path: `${screenshots}popup.png` });
    await popup.close();

    const record = await openPage('record.html');
    await expect(record.getByTestId('patient-name').textContent()).resolves.toBe('DAVID SMITH');
    await expect(record.getByTestId('patient-birthdate').textContent()).resolves.toBe('1996-11-02');
    for (const type of ['Condition', 'MedicationRequest', 'Observation', 'Encounter']) {
      await record.getByTestId(`section-${type}`).getByTestId(`item-${type}`).first().waitFor();
    }
    await record.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
    await record.setViewportSize({ width: 1100, height: 1200 });
    await record.screenshot({ path: `${screenshots}record.png` });
    await record
      .getByTestId('section-Observation')
      .screenshot({ path: `${screenshots}vital-signs.png` });
    await record.close();
  });

  test('exports the whole record as a FHIR collection Bundle', async () => {
    const record = await openPage('record.html');
    await record.getByTestId('patient-name').waitFor();
    await record.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
    const [download] = await Promise.all([
      record.waitForEvent('download'),
      record.getByTestId('export').click(),
    ]);
    const bundle = JSON.parse(await readFile(await download.path(), 'utf8')) as {
      resourceType: string;
      type: string;
      entry: { resource: { resourceType: string } }[];
    };
    expect([bundle.resourceType, bundle.type]).toEqual(['Bundle', 'collection']);
    const types = new Set(bundle.entry.map((entry) => entry.resource.resourceType));
    for (const type of [
      'Patient',
      'Condition',
      'Observation',
      'DocumentReference',
      'Coverage',
      'MedicationDispense',
      'MedicationAdministration',
      'ServiceRequest',
      'Specimen',
    ]) {
      expect(types.has(type), type).toBe(true);
    }
    await record.close();
  });

  test('downloads the C-CDA document for a date range and it passes ccda-validate', async () => {
    const validator = locateCcdaValidator();
    if ('missing' in validator)
      throw new Error(`The C-CDA validator is missing: ${validator.missing}`);
    const record = await openPage('record.html');
    await record.getByTestId('patient-name').waitFor();
    await record.getByTestId('ccda-from').fill('2015-01-01');
    await record.getByTestId('ccda-to').fill('2026-12-31');
    const [download] = await Promise.all([
      record.waitForEvent('download'),
      record.getByTestId('download-ccda').click(),
    ]);
    expect(download.suggestedFilename()).toBe(
      'health-record-428946492-2015-01-01_to_2026-12-31.xml',
    );
    const xml = await readFile(await download.path(), 'utf8');
    await expect(record.getByTestId('ccda-status').textContent()).resolves.toMatch(/^Saved /);
    const results = await validateCcdaDocuments(new Map([['david-ccda', xml]]), validator.script);
    expect(ccdaValidationErrors(results)).toEqual([]);
    expect(results[0]?.valid).toBe(true);
    await record.close();
  });

  test('downloads a document’s attachment from the FHIR server’s Binary', async () => {
    const record = await openPage('record.html');
    const documents = record.getByTestId('section-DocumentReference');
    await documents.getByTestId('item-DocumentReference').first().waitFor();
    const [download] = await Promise.all([
      record.waitForEvent('download'),
      documents
        .getByRole('button', { name: /^Download / })
        .first()
        .click(),
    ]);
    expect((await readFile(await download.path(), 'utf8')).length).toBeGreaterThan(0);
    await record.close();
  });

  /** Clicks "Switch patient" and picks `patientId` on the selection screen, which the server's session makes the first screen. */
  async function switchPatient(page: Page, patientId: string): Promise<void> {
    const [auth] = await Promise.all([
      browser.context.waitForEvent('page'),
      page.getByTestId('switch-patient').click(),
    ]);
    await auth.check(`input[name=patient][value="${patientId}"]`);
    await Promise.all([
      auth.waitForEvent('close'),
      auth.click('#kc-accept', { noWaitAfter: true }),
    ]);
  }

  test('switches to a dependent on the selection screen without signing in again', async () => {
    const record = await openPage('record.html');
    await record.getByTestId('patient-name').waitFor();
    await switchPatient(record, '429119572');
    await expect(record.getByTestId('patient-name').textContent()).resolves.toBe('ALEX SMITH');
    await switchPatient(record, '428946492');
    await expect(record.getByTestId('patient-name').textContent()).resolves.toBe('DAVID SMITH');
    await record.close();
  });

  test('refreshes an expired access token without the user noticing', async () => {
    const record = await openPage('record.html');
    await record.getByTestId('patient-name').waitFor();
    const before = await storedAccessToken(record);
    const advanced = await fetch(`${mock.url}/__admin/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceSeconds: 400 }),
    });
    expect(advanced.status).toBe(200);
    await record.reload();
    await expect(record.getByTestId('patient-name').textContent()).resolves.toBe('DAVID SMITH');
    await record.getByTestId('item-Condition').first().waitFor();
    await expect(record.getByTestId('error').count()).resolves.toBe(0);
    expect(await storedAccessToken(record)).not.toBe(before);
    await record.close();
  });

  test('revokes the tokens on sign-out so the old access token fails at the mock', async () => {
    const record = await openPage('record.html');
    await record.getByTestId('patient-name').waitFor();
    const token = await storedAccessToken(record);
    await record.getByTestId('sign-out').click();
    await record.getByTestId('connect').waitFor();
    const response = await fetch(`${mock.fhirBaseUrl}/Patient/428946492`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/fhir+json' },
    });
    expect(response.status).toBe(401);
    await record.close();
  });

  test('signs AnnaFHIR in and shows her record', async () => {
    const record = await openPage('record.html');
    await signIn(record, 'AnnaFHIR', 'Password01');
    await expect(record.getByTestId('patient-name').textContent()).resolves.toBe('ANNA SMITH');
    await record.getByTestId('item-Condition').first().waitFor();
    await record.close();
  });

  /** Signs out if someone is signed in, so the next sign-in starts clean. */
  async function ensureSignedOut(page: Page): Promise<void> {
    await page
      .getByTestId('connect')
      .or(page.getByTestId('sign-out'))
      .or(page.getByTestId('retry'))
      .first()
      .waitFor();
    if (await page.getByTestId('sign-out').isVisible()) {
      await page.getByTestId('sign-out').click();
      await page.getByTestId('connect').waitFor();
    }
  }

  /** Logs `user` in and picks `patientId` on the selection screen when the account offers one. */
  async function signInAs(page: Page, user: GuideUser, patientId: string): Promise<void> {
    const auth = await openSignIn(page);
    await auth.fill('#username', user.username);
    await auth.fill('input[name=password]', user.password);
    await auth.click('#kc-login');
    await auth.waitForSelector('#kc-accept');
    const choice = auth.locator(`input[name=patient][value="${patientId}"]`);
    if ((await choice.count()) > 0) await choice.check();
    await Promise.all([
      auth.waitForEvent('close'),
      auth.click('#kc-accept', { noWaitAfter: true }),
    ]);
  }

  async function settled(page: Page): Promise<void> {
    await page.waitForFunction(recordSettled);
  }

  async function identity(page: Page) {
    const text = (id: string) => page.getByTestId(id).first().textContent();
    return {
      name: await text('patient-name'),
      birthDate: await text('patient-birthdate'),
      sex: await text('patient-sex'),
      mrn: await text('patient-mrn'),
      signedInAs:
        (await page.getByTestId('signed-in-as').count()) > 0
          ? await text('signed-in-as')
          : undefined,
    };
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
      const popup = await openPage('popup.html');
      await ensureSignedOut(popup);
      await signInAs(popup, scenario.user, scenario.patient.patientId);
      await settled(popup);
      expect(await identity(popup)).toEqual(expected);
      expect(await popup.evaluate(readSectionOutcomes)).toEqual(scenario.outcomes);
      await popup.close();
    });

    test('the record page names the patient and shows every section with its entries or as empty', async () => {
      const record = await openPage('record.html');
      await settled(record);
      expect(await identity(record)).toEqual(expected);
      expect(await record.evaluate(readSectionOutcomes)).toEqual(scenario.outcomes);
      await record.close();
    });
  });

  /** axe's serious and critical violations on `page`, as `rule: target` lines. */
  async function seriousViolations(page: Page): Promise<string[]> {
    // Evaluated over the DevTools protocol: the pages' CSP (script-src 'self') refuses a script tag.
    await page.evaluate(axeSource);
    const results = await page.evaluate(async () => {
      const axe = (globalThis as unknown as { axe: { run(): Promise<unknown> } }).axe;
      return (await axe.run()) as {
        violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[];
      };
    });
    return results.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .flatMap((violation) =>
        violation.nodes.map((node) => `${violation.id}: ${JSON.stringify(node.target)}`),
      );
  }

  /**
   * Tabs through the page and returns the controls Tab never reached, and those reached without a
   * visible focus indicator (an outline or a box shadow).
   */
  async function keyboardGaps(page: Page): Promise<{ unreached: string[]; invisible: string[] }> {
    const describe = () =>
      page.evaluate(() => {
        const element = document.activeElement as HTMLElement | null;
        if (!element || element === document.body) return undefined;
        const style = getComputedStyle(element);
        const visible =
          (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) ||
          style.boxShadow !== 'none';
        return { key: element.dataset.focusKey ?? '', visible };
      });
    const controls = await page.evaluate(() => {
      const all = [
        ...document.querySelectorAll<HTMLElement>(
          'button, input, select, textarea, a[href], [tabindex]:not([tabindex="-1"])',
        ),
      ].filter(
        (element) => element.getClientRects().length > 0 && !element.hasAttribute('disabled'),
      );
      return all.map((element, index) => {
        element.dataset.focusKey = String(index);
        return `${element.tagName.toLowerCase()}#${index} ${element.getAttribute('data-testid') ?? element.textContent?.trim().slice(0, 30) ?? ''}`;
      });
    });
    const reached = new Set<string>();
    const invisible: string[] = [];
    for (let step = 0; step < controls.length * 2 + 5; step++) {
      await page.keyboard.press('Tab');
      const focused = await describe();
      if (!focused || focused.key === '') continue;
      if (reached.has(focused.key)) continue;
      reached.add(focused.key);
      if (!focused.visible) invisible.push(controls[Number(focused.key)] ?? focused.key);
    }
    const unreached = controls.filter((_, index) => !reached.has(String(index)));
    return { unreached, invisible };
  }

  describe('accessibility', () => {
    for (const path of ['options.html', 'popup.html', 'record.html']) {
      test(`${path} has no serious or critical axe violations`, async () => {
        const page = await openPage(path);
        if (path !== 'options.html') await settled(page);
        else await page.getByTestId('save').waitFor();
        expect(await seriousViolations(page)).toEqual([]);
        await page.close();
      });

      test(`${path}: every control is reached by Tab with a visible focus`, async () => {
        const page = await openPage(path);
        if (path !== 'options.html') await settled(page);
        else await page.getByTestId('save').waitFor();
        expect(await keyboardGaps(page)).toEqual({ unreached: [], invisible: [] });
        await page.close();
      });
    }

    test('every chart has a text alternative', async () => {
      const record = await openPage('record.html');
      await settled(record);
      const charts = await record.evaluate(() =>
        [...document.querySelectorAll('svg')]
          .filter((chart) => chart.getAttribute('aria-hidden') !== 'true')
          .map((chart) => ({
            role: chart.getAttribute('role'),
            label: chart.getAttribute('aria-label') ?? '',
          })),
      );
      expect(charts.length).toBeGreaterThan(0);
      for (const chart of charts) {
        expect(chart.role).toBe('img');
        expect(chart.label.length).toBeGreaterThan(20);
      }
      await record.close();
    });
  });
});
