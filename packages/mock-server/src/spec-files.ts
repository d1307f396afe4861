import { readFileSync } from 'node:fs';

/**
 * The text of a file of the package's `spec/` folder (the captured NextGen documents, the
 * guide's example Patient and the generated R4 summary flags). Resolved from this module, one level below the package root in
 * `src/`, in `dist/` and in the bundled bin `dist/bin.js` alike; keep every such read here.
 */
export function readSpecFile(name: string): string {
  return readFileSync(new URL(`../spec/${name}`, import.meta.url), 'utf8');
}

/** The origin of the real identity server in the captured documents. */
const CAPTURED_IDENTITY_ORIGIN = 'https://idp-prod.prod.ngo.nextgenaws.net';

/**
 * `json` (a captured document) with every URL of the real identity server moved to `origin`.
 * The origin is JSON-escaped, as it comes from the caller's Host header.
 */
export function rewriteOrigin(json: string, origin: string): string {
  return json.split(CAPTURED_IDENTITY_ORIGIN).join(JSON.stringify(origin).slice(1, -1));
}
