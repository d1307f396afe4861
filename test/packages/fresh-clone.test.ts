import { copyFile, mkdir, mkdtemp, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { discovery, run, startBin } from './processes.js';

const repository = fileURLToPath(new URL('../../', import.meta.url));
// Any request that falls through to a registry fails at once instead of reaching one.
const NO_REGISTRY = { npm_config_registry: 'http://127.0.0.1:9/' };

let clone: string;

beforeAll(async () => {
  clone = await mkdtemp(join(tmpdir(), 'patient-access-clone-'));
  const head = (await run('git', ['rev-parse', 'HEAD'], { cwd: repository })).stdout.trim();
  expect(
    (
      await run('git', ['clone', '--quiet', '--no-checkout', repository, clone], {
        cwd: repository,
      })
    ).code,
  ).toBe(0);
  expect((await run('git', ['checkout', '--quiet', head], { cwd: clone })).code).toBe(0);
  // `npm ci` without its build (`prepare`) and without the dev tools: the install links the bins,
  // which is what this file checks; the build's output comes from this repository below.
  const install = await run(
    'npm',
    ['ci', '--omit=dev', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'],
    { cwd: clone },
  );
  expect(install.code, install.stderr).toBe(0);
});

afterAll(async () => {
  if (clone) await rm(clone, { recursive: true, force: true });
});

describe('a fresh clone of the committed tree', () => {
  test('has patient-access-mock linked by the install, before anything is built', async () => {
    expect(await readlink(join(clone, 'node_modules/.bin/patient-access-mock'))).toBe(
      '../@patient-access/mock-server/bin/patient-access-mock.js',
    );
  });

  test('answers npx patient-access-mock with its own launcher asking for a build, never with the registry', async () => {
    const result = await run('npx', ['patient-access-mock', '--port', '0'], {
      cwd: clone,
      env: NO_REGISTRY,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('the mock server is not built yet');
  });

  describe('once built', () => {
    // The bundle the bin runs, as `npm run build` makes it from the same commit (CI's own
    // `npm ci` built this repository); copied rather than rebuilt to keep CI short.
    beforeAll(async () => {
      await mkdir(join(clone, 'packages/mock-server/dist'), { recursive: true });
      for (const file of ['bin.js', 'bin.js.map']) {
        await copyFile(
          join(repository, 'packages/mock-server/dist', file),
          join(clone, 'packages/mock-server/dist', file),
        );
      }
    });

    test.each(['.', 'packages/mock-server'])(
      'starts the mock with npx patient-access-mock --port 0 from %s',
      async (directory) => {
        const mock = await startBin('npx', ['patient-access-mock', '--port', '0'], {
          cwd: join(clone, directory),
          env: NO_REGISTRY,
        });
        try {
          expect((await discovery(mock.url)).issuer).toBe(`${mock.url}/auth/realms/nextgen`);
        } finally {
          await mock.stop();
        }
      },
    );
  });
});
