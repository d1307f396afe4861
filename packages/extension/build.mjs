import { cp, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { writeIcons } from './scripts/icons.mjs';

const root = fileURLToPath(new URL('.', import.meta.url));
const outdir = fileURLToPath(new URL('./dist', import.meta.url));

/** Every bundle of the extension: the service worker and one script per page. */
const entryPoints = {
  background: 'src/background.ts',
  popup: 'src/pages/popup.ts',
  record: 'src/pages/record.ts',
  options: 'src/pages/options.ts',
};

await rm(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints,
  outdir,
  bundle: true,
  format: 'esm',
  // MV3 module service workers and the APIs used here (storage.session, alarms) need Chrome 120.
  target: 'chrome120',
  platform: 'browser',
  sourcemap: true,
  logLevel: 'warning',
  // Bundle the auth core from source, so the extension never depends on a stale `dist`.
  alias: {
    '@patient-access/auth-core': fileURLToPath(
      new URL('../auth-core/src/index.ts', import.meta.url),
    ),
  },
});
await cp(new URL('./static/', import.meta.url), outdir, { recursive: true });
await writeIcons(outdir);
console.log(`Extension built into ${outdir}`);
