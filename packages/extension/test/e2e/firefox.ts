import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { findBrowser } from '../../../../test-support/find-browser.js';
import { GECKO_ID } from '../../scripts/firefox-manifest.mjs';

/** Debian's Firefox ESR: `FIREFOX_PATH`, else `firefox-esr` on the PATH, else `/usr/bin/firefox-esr`. */
export function findFirefox(): string | undefined {
  return findBrowser('FIREFOX_PATH', 'firefox-esr');
}

/**
 * A background script added to the test's copy of the build only: WebDriver BiDi refuses to
 * navigate a tab to a moz-extension:// URL, so the add-on opens its options page itself, and the
 * test opens every other page from there with `tabs.create`.
 */
const OPEN_OPTIONS_ON_INSTALL = `browser.runtime.onInstalled.addListener(() => {
  void browser.runtime.openOptionsPage();
});
`;

/** Firefox with the add-on installed, its pages at a fixed moz-extension:// origin. */
export interface FirefoxWithExtension {
  browser: Browser;
  /** `moz-extension://<uuid>/<path>`. */
  url(path: string): string;
  /** Opens an extension page in a new tab and returns it once it has loaded. */
  openPage(path: string): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Copies the Firefox build with the test-only opener, launches headless Firefox over WebDriver
 * BiDi with the add-on's UUID fixed by a pref, and installs it as a temporary add-on, as
 * `shared/recipes/extension-e2e-in-firefox.md` describes.
 */
export async function launchFirefoxWithExtension(
  executablePath: string,
  buildDir: string,
): Promise<FirefoxWithExtension> {
  const manifestPath = join(buildDir, 'manifest.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as {
    background: { scripts: string[] };
  };
  manifest.background.scripts.push('e2e-open-options.js');
  await writeFile(manifestPath, JSON.stringify(manifest));
  await writeFile(join(buildDir, 'e2e-open-options.js'), OPEN_OPTIONS_ON_INSTALL);

  const uuid = randomUUID();
  const origin = `moz-extension://${uuid}/`;
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath,
    headless: true,
    protocol: 'webDriverBiDi',
    defaultViewport: { width: 1100, height: 900 },
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: uuid }),
    },
  });
  try {
    const installed = await browser.installExtension(buildDir);
    if (installed !== GECKO_ID) throw new Error(`Installed ${installed}, expected ${GECKO_ID}`);
  } catch (error) {
    await browser.close();
    throw error;
  }

  /** puppeteer reports extension tabs as about:blank, so each page is asked where it is. */
  async function findPage(url: string, exclude: ReadonlySet<Page>): Promise<Page> {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      for (const page of await browser.pages()) {
        if (exclude.has(page)) continue;
        const href = await page.evaluate(() => location.href).catch(() => undefined);
        if (href === url) {
          await page.waitForFunction(() => document.readyState === 'complete');
          return page;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`No tab opened ${url}`);
  }

  const options = await findPage(`${origin}options.html`, new Set());
  return {
    browser,
    url: (path) => `${origin}${path}`,
    async openPage(path) {
      const before = new Set(await browser.pages());
      await options.evaluate(async (url) => {
        // Runs in the extension page, where Firefox's own `browser` global exists.
        const { browser: webExtension } = globalThis as unknown as {
          browser: { tabs: { create(properties: { url: string }): Promise<unknown> } };
        };
        await webExtension.tabs.create({ url });
      }, `${origin}${path}`);
      return findPage(`${origin}${path}`, before);
    },
    async close() {
      await browser.close();
      await rm(buildDir, { recursive: true, force: true });
    },
  };
}

/** A fresh Firefox build of the extension in a temporary folder (deleted by `close`). */
export async function buildForFirefox(packageDir: string): Promise<string> {
  const outdir = await mkdtemp(join(tmpdir(), 'patient-access-firefox-e2e-'));
  execFileSync(process.execPath, ['build.mjs', '--target', 'firefox', '--outdir', outdir], {
    cwd: packageDir,
    stdio: 'pipe',
  });
  return outdir;
}
