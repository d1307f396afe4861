// @ts-check
// The mock server as the benchmark and the soak run it: the built bin, in its own process, on
// 127.0.0.1, with the Node flags `npm start` gives it and the memory probe preloaded.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MOCK_NODE_FLAGS } from '../../../packages/mock-server/bin/node-flags.js';
import { MOCK_BIN, spawnNode, waitForOutput } from './processes.mjs';

/**
 * The bin's arguments as the bench runs it: `--port 0` on 127.0.0.1, silent, with `config`
 * written to a `--config` file.
 * @param {object} config the bin's config-file format (lifetimes, rateLimit, lockout, ...)
 */
export async function mockArguments(config) {
  const dir = await mkdtemp(join(tmpdir(), 'patient-access-bench-'));
  const file = join(dir, 'mock-config.json');
  await writeFile(file, JSON.stringify(config));
  return ['--port', '0', '--host', '127.0.0.1', '--log-level', 'silent', '--config', file];
}

/**
 * Starts `patient-access-mock` with {@link mockArguments}.
 * @param {object} config
 * @param {string} [bin] another build's `dist/bin.js` (the bench's `--reference`)
 * @returns {Promise<{ child: import('./processes.mjs').Child, url: string }>}
 */
export async function startMockBin(config, bin = MOCK_BIN) {
  const child = spawnNode(bin, await mockArguments(config), {
    probe: true,
    nodeFlags: MOCK_NODE_FLAGS,
  });
  const [, url = ''] = await waitForOutput(child, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
  return { child, url };
}
