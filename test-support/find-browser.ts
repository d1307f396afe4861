import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * A browser installed from Debian: the path in `envVar` if set (and only if it exists), else
 * `command` on the PATH, else `/usr/bin/<command>`. Never a browser downloaded by a driver, which
 * cannot work offline.
 */
export function findBrowser(envVar: string, command: string): string | undefined {
  const fromEnv = process.env[envVar];
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  try {
    const found = execFileSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).trim();
    if (found) return found;
  } catch {
    // `command -v` exits non-zero when there is no such command; fall through to the usual path.
  }
  return existsSync(`/usr/bin/${command}`) ? `/usr/bin/${command}` : undefined;
}
