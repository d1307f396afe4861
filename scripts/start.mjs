// @ts-check
// `npm start`: rebuilds the extension's Chrome and Firefox builds (esbuild, well under a second) so
// they match the sources, says where to load them from, then runs the NextGen Office mock server on
// its defaults (http://127.0.0.1:8765) from the build that `npm ci` produces.
// Extra arguments go to the bin: `npm start -- --port 9000`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MOCK_NODE_FLAGS } from '../packages/mock-server/bin/node-flags.js';

const root = new URL('../', import.meta.url);
const bin = fileURLToPath(new URL('packages/mock-server/dist/bin.js', root));
if (!existsSync(bin)) {
  console.error('The mock server is not built yet: run `npm run build` (or `npm ci`) first.');
  process.exit(1);
}

const extension = spawnSync(process.execPath, ['build.mjs'], {
  cwd: fileURLToPath(new URL('packages/extension/', root)),
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (extension.status !== 0) {
  console.error('The extension build failed (see above); the mock server starts anyway.');
} else {
  console.log(
    [
      'Chrome extension: load unpacked from packages/extension/dist',
      '  (chrome://extensions → Developer mode → Load unpacked), then click its icon → Connect',
      '  and sign in as DavidFHIR / password. Its redirect URL, to register with a server:',
      '  https://bffbaicccggaljnamlkcofgcdnhpconj.chromiumapp.org/callback',
      'Firefox (142+): about:debugging#/runtime/this-firefox → Load Temporary Add-on…',
      '  → packages/extension/dist-firefox/manifest.json',
      '',
    ].join('\n'),
  );
}

const child = spawn(process.execPath, [...MOCK_NODE_FLAGS, bin, ...process.argv.slice(2)], {
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => child.kill(/** @type {NodeJS.Signals} */ (signal)));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
