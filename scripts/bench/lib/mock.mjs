// @ts-check
// The mock server as the benchmark and the soak run it: the built bin, in its own process, on
// 127.0.0.1, with the Node flags `npm start` gives it and the memory probe preloaded.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MOCK_NODE_FLAGS } from '../../../packages/mock-server/bin/node-flags.js';
import { MOCK_BIN, spawnNode, waitForOutput } from './processes.mjs';

/**
 * Starts `patient-access-mock --port 0` with `config` written to a `--config` file.
 * @param {object} config the bin's config-file format (lifetimes, rateLimit, lockout, ...)
 * @param {string} [bin] another build's `dist/bin.js` (the bench's `--reference`)
 * @returns {Promise<{ child: import('./processes.mjs').Child, url: string }>}
 */
export async function startMockBin(config, bin = MOCK_BIN) {
  const dir = await mkdtemp(join(tmpdir(), 'patient-access-bench-'));
  const file = join(dir, 'mock-config.json');
  await writeFile(file, JSON.stringify(config));
  const child = spawnNode(
    bin,
    ['--port', '0', '--host', '127.0.0.1', '--log-level', 'silent', '--config', file],
    { probe: true, nodeFlags: MOCK_NODE_FLAGS },
  );
  const [, url = ''] = await waitForOutput(child, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
  return { child, url };
}
