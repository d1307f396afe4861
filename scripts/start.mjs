// `npm start`: the NextGen Office mock server on its defaults (http://127.0.0.1:8765), from the
// build that `npm ci` produces. Extra arguments go to the bin: `npm start -- --port 9000`.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../packages/mock-server/dist/cli.js', import.meta.url));
if (!existsSync(bin)) {
  console.error('The mock server is not built yet: run `npm run build` (or `npm ci`) first.');
  process.exit(1);
}
const child = spawn(process.execPath, [bin, ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
