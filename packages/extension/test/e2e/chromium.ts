import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../../../test-support/chromium.js';

export { findChromium };

/** A browser with the unpacked extension loaded, and its fixed id. */
export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  close(): Promise<void>;
}

/**
 * Launches Chromium with the extension in a fresh temporary profile (deleted on close), with the
 * flags `shared/recipes/extension-e2e-in-chromium.md` found necessary.
 */
export async function launchWithExtension(
  executablePath: string,
  extensionDir: string,
): Promise<ExtensionBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'patient-access-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: false,
    viewport: { width: 1100, height: 900 },
    args: [
      ...CHROMIUM_ARGS,
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
    ],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  return {
    context,
    extensionId: new URL(worker.url()).host,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
