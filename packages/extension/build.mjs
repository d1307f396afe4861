import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { firefoxManifest, FIREFOX_MIN_VERSION } from './scripts/firefox-manifest.mjs';
import { writeIcons } from './scripts/icons.mjs';

const root = fileURLToPath(new URL('.', import.meta.url));
const staticDir = fileURLToPath(new URL('./static/', import.meta.url));

/** Every bundle of the extension: the background script and one script per page. */
const entryPoints = {
  background: 'src/background.ts',
  popup: 'src/pages/popup.ts',
  record: 'src/pages/record.ts',
  options: 'src/pages/options.ts',
};

/**
 * One source tree, one build per browser. `static/manifest.json` is Chrome's; Firefox's is derived
 * from it. MV3 module service workers and the APIs used here (storage.session, alarms) need
 * Chrome 120.
 */
/** @type {{ browser: string, outdir: string, esbuildTarget: string, manifest: typeof firefoxManifest }[]} */
const targets = [
  { browser: 'Chrome', outdir: 'dist', esbuildTarget: 'chrome120', manifest: (chrome) => chrome },
  {
    browser: 'Firefox',
    outdir: 'dist-firefox',
    esbuildTarget: `firefox${FIREFOX_MIN_VERSION.split('.')[0]}`,
    manifest: firefoxManifest,
  },
];

/*
 * `--target chrome|firefox` builds one browser only; `--outdir` puts that build elsewhere, so a
 * test can build its own copy while another test runs a browser on `dist`.
 */
const { values: args } = parseArgs({
  options: { target: { type: 'string' }, outdir: { type: 'string' } },
});
const chosen = targets.filter(
  (target) => args.target === undefined || target.browser.toLowerCase() === args.target,
);
if (chosen.length === 0) throw new Error(`Unknown --target ${args.target}: chrome or firefox.`);
if (args.outdir !== undefined && chosen.length !== 1) {
  throw new Error('--outdir needs a single --target.');
}

const chromeManifest = JSON.parse(await readFile(`${staticDir}manifest.json`, 'utf8'));
for (const target of chosen) {
  const outdir =
    args.outdir !== undefined
      ? resolve(args.outdir)
      : fileURLToPath(new URL(`./${target.outdir}`, import.meta.url));
  await rm(outdir, { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints,
    outdir,
    bundle: true,
    format: 'esm',
    target: target.esbuildTarget,
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
  await cp(staticDir, outdir, { recursive: true });
  await writeFile(
    `${outdir}/manifest.json`,
    `${JSON.stringify(target.manifest(chromeManifest), null, 2)}\n`,
  );
  await writeIcons(outdir);
  console.log(`${target.browser} extension built into ${outdir}`);
}
