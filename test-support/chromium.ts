import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * Debian's Chromium: `CHROME_PATH` if set, else `chromium` on the PATH, else `/usr/bin/chromium`.
 * Never a browser downloaded by Playwright, which cannot work offline.
 */
export function findChromium(): string | undefined {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  try {
    const found = execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
    if (found) return found;
  } catch {
    // `command -v` exits non-zero when there is no such command; fall through to the usual path.
  }
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
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
