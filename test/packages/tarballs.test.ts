import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { discovery, run, startBin } from './processes.js';

const repository = fileURLToPath(new URL('../../', import.meta.url));
const PACKAGES = ['auth-core', 'mock-server', 'contract-tests'];

interface Packed {
  name: string;
  filename: string;
  files: Array<{ path: string }>;
}

let project: string;
let packed: Packed[];

const installedManifest = async (name: string) =>
  JSON.parse(
    await readFile(join(project, 'node_modules/@patient-access', name, 'package.json'), 'utf8'),
  ) as { engines?: { node?: string }; dependencies?: Record<string, string> };

const versionOf = async (name: string) =>
  (
    JSON.parse(await readFile(join(repository, 'node_modules', name, 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;

/** The code block of docs/using-the-mock-in-your-tests.md marked `title="<file>"`. */
async function documentedFile(file: string): Promise<string> {
  const guide = await readFile(join(repository, 'docs/using-the-mock-in-your-tests.md'), 'utf8');
  const block = new RegExp('```ts title="' + file.replace('.', '\\.') + '"\\n([\\s\\S]*?)```').exec(
    guide,
  );
  if (!block?.[1]) throw new Error(`docs/using-the-mock-in-your-tests.md has no ${file} block`);
  return block[1];
}

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'patient-access-consumer-'));
  const pack = await run(
    'npm',
    [
      'pack',
      '--json',
      '--pack-destination',
      project,
      ...PACKAGES.flatMap((name) => ['-w', `packages/${name}`]),
    ],
    { cwd: repository },
  );
  expect(pack.code, pack.stderr).toBe(0);
  packed = JSON.parse(pack.stdout) as Packed[];
  await writeFile(
    join(project, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2),
  );
  // The tools at the repository's own versions, so npm can take them from its cache.
  const install = await run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      ...packed.map((tarball) => `./${tarball.filename}`),
      `vitest@${await versionOf('vitest')}`,
      `typescript@${await versionOf('typescript')}`,
      `@types/node@${await versionOf('@types/node')}`,
    ],
    { cwd: project },
  );
  expect(install.code, install.stderr).toBe(0);
});

afterAll(async () => {
  if (project) await rm(project, { recursive: true, force: true });
});

describe('the packed packages', () => {
  test('carry their built code, declarations, README and, for the mock, its spec files and bin', () => {
    const files = (name: string) =>
      packed
        .find((tarball) => tarball.name === `@patient-access/${name}`)!
        .files.map((file) => file.path);
    for (const name of PACKAGES) {
      expect(files(name)).toEqual(
        expect.arrayContaining(['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts']),
      );
    }
    expect(files('mock-server')).toEqual(
      expect.arrayContaining([
        'bin/patient-access-mock.js',
        'dist/bin.js',
        'spec/nextgen-office-fhir-r4-openapi.yaml',
        'spec/nextgen-office-openid-configuration.json',
        'spec/nextgen-office-r4-capabilitystatement.json',
        'spec/nextgen-office-r4-smart-configuration.json',
        'spec/patient-428946492.json',
      ]),
    );
    expect(files('contract-tests')).toContain('bin/contract-diff.js');
  });

  test('carry nothing that only works inside the repository', () => {
    for (const tarball of packed) {
      for (const { path } of tarball.files) {
        expect(path).not.toMatch(/(^src\/|\.tsbuildinfo$|run-real|test-support|\.test\.)/);
      }
    }
  });

  test('declare Node 20.19 and depend on nothing outside the registry and each other', async () => {
    for (const name of PACKAGES) {
      const manifest = await installedManifest(name);
      expect([name, manifest.engines?.node]).toEqual([name, '>=20.19']);
      for (const range of Object.values(manifest.dependencies ?? {})) {
        expect(range).not.toMatch(/^(file|link|workspace|git|https?):/);
      }
    }
  });

  test('declare a dependency on every package their code and declarations import', async () => {
    for (const name of PACKAGES) {
      const manifest = await installedManifest(name);
      const declared = new Set(Object.keys(manifest.dependencies ?? {}));
      const directory = join(project, 'node_modules/@patient-access', name);
      const files = (await readdir(join(directory, 'dist'), { recursive: true })).filter(
        (file) => /\.(d\.ts|js)$/.test(file) && file !== 'bin.js',
      );
      for (const file of files) {
        const source = await readFile(join(directory, 'dist', file), 'utf8');
        for (const [, specifier] of source.matchAll(/(?:from|import\()\s*'([^'.][^']*)'/g)) {
          if (specifier!.startsWith('node:')) continue;
          const dependency = specifier!.split('/').slice(0, specifier!.startsWith('@') ? 2 : 1);
          expect([name, file, declared.has(dependency.join('/'))]).toEqual([name, file, true]);
        }
      }
    }
  });

  test('install from the tarballs, never from the registry', async () => {
    const lock = JSON.parse(await readFile(join(project, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { resolved?: string }>;
    };
    for (const name of PACKAGES) {
      expect(lock.packages[`node_modules/@patient-access/${name}`]?.resolved).toMatch(/^file:/);
    }
  });
});

describe('a blank project with the tarballs installed', () => {
  test('runs npx patient-access-mock --port 0', async () => {
    const mock = await startBin('npx', ['patient-access-mock', '--port', '0'], {
      cwd: project,
      env: { npm_config_offline: 'true' },
    });
    try {
      expect((await discovery(mock.url)).issuer).toBe(`${mock.url}/auth/realms/nextgen`);
    } finally {
      await mock.stop();
    }
  });

  test("passes the guide's vitest example: startMockServer, getTestTokens, David's Patient", async () => {
    await writeFile(join(project, 'mock.test.ts'), await documentedFile('mock.test.ts'));
    const result = await run('npx', ['vitest', 'run', 'mock.test.ts'], {
      cwd: project,
      env: { npm_config_offline: 'true', CI: 'true' },
    });
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(stripVTControlCharacters(result.stdout)).toMatch(/Tests\s+1 passed/);
  });

  test("type-checks the guide's example against the packages' declarations", async () => {
    await writeFile(join(project, 'mock.test.ts'), await documentedFile('mock.test.ts'));
    await writeFile(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          // As most projects have it; the test above checks what the declarations import.
          skipLibCheck: true,
          types: ['node'],
        },
        include: ['mock.test.ts'],
      }),
    );
    const result = await run('npx', ['tsc', '-p', '.'], {
      cwd: project,
      env: { npm_config_offline: 'true' },
    });
    expect(result.code, result.stdout).toBe(0);
  });
});
