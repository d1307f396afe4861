import { readFileSync } from 'node:fs';

/**
 * The text of a file of the package's `spec/` folder (the captured NextGen documents and the
 * guide's example Patient). Resolved from this module, one level below the package root in
 * `src/`, in `dist/` and in the bundled bin `dist/bin.js` alike; keep every such read here.
 */
export function readSpecFile(name: string): string {
  return readFileSync(new URL(`../spec/${name}`, import.meta.url), 'utf8');
}
