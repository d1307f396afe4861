import { chromium, type Browser } from 'playwright-core';
import { findBrowser } from './find-browser.js';

/** Debian's Chromium: `CHROME_PATH` if set, else `chromium` on the PATH, else `/usr/bin/chromium`. */
export function findChromium(): string | undefined {
  return findBrowser('CHROME_PATH', 'chromium');
}

/**
 * The flags `shared/recipes/extension-e2e-in-chromium.md` found necessary on this closed
 * network: new headless mode, no sandbox or GPU, no background traffic.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A plain Chromium (no extension) at `executablePath` with {@link CHROMIUM_ARGS}. */
export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, headless: false, args: [...CHROMIUM_ARGS] });
}
