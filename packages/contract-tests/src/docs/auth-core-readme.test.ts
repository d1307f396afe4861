import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { mockProfile, type AuthorizationRequest } from '@patient-access/auth-core';
import { DEFAULT_PORT, startMockServer, type RunningMockServer } from '@patient-access/mock-server';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { signInHeadless } from '../sign-in.js';
import { GUIDE_TEST_USER } from '../target.js';

const README = new URL('../../../auth-core/README.md', import.meta.url);
const DOCUMENTED_ORIGIN = `http://127.0.0.1:${DEFAULT_PORT}`;

interface ExampleResult {
  tokens: { patient?: string; accessToken: string };
  record: Record<string, unknown[] | Error>;
}

/**
 * The README's two usage blocks as one module: its imports, then the first block, the browser's
 * round trip (`callbackUrl`, which the README leaves to the app's redirect handler), the second.
 */
async function readmeExample(): Promise<string> {
  const readme = await readFile(README, 'utf8');
  const usage = readme.slice(
    readme.indexOf('## Usage'),
    readme.indexOf('\n## ', readme.indexOf('## Usage') + 1),
  );
  const blocks = [...usage.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!);
  expect(blocks).toHaveLength(2);
  const [first, second] = blocks as [string, string];
  const imports = /^import [\s\S]*? from '[^']+';\n/m.exec(first)?.[0] ?? '';
  return `${imports}import type { AuthorizationRequest } from '@patient-access/auth-core';

export default async function example(
  browser: (request: AuthorizationRequest) => Promise<URL>,
): Promise<unknown> {
${first.replace(imports, '')}
const callbackUrl = await browser(request);
${second}
return { tokens, record };
}
`;
}

let mock: RunningMockServer;
let directory: string;

beforeAll(async () => {
  mock = await startMockServer({ port: 0 });
  directory = await mkdtemp(join(tmpdir(), 'auth-core-readme-'));
});

afterAll(async () => {
  await mock.close();
  await rm(directory, { recursive: true, force: true });
});

describe('the auth core README', () => {
  test('signs David in on the mock and loads his record, as its usage example is written', async () => {
    // The one change: the mock of this test listens on a free port instead of the documented one.
    const source = (await readmeExample()).replaceAll(DOCUMENTED_ORIGIN, mock.url);
    const file = join(directory, 'readme-example.ts');
    await writeFile(file, source);
    const { default: example } = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as {
      default: (browser: (request: AuthorizationRequest) => Promise<URL>) => Promise<ExampleResult>;
    };
    const result = await example(async (request) => {
      const redirectUri = new URL(request.url).searchParams.get('redirect_uri')!;
      const signIn = await signInHeadless({
        profile: mockProfile(mock.url),
        client: { clientId: 'yourHealthFile', redirectUri },
        ...GUIDE_TEST_USER,
        request,
      });
      return signIn.callbackUrl;
    });
    expect(result.tokens.patient).toBe('428946492');
    expect(Object.keys(result.record).sort()).toEqual([
      'AllergyIntolerance',
      'Condition',
      'Patient',
    ]);
    for (const part of Object.values(result.record)) expect(part).not.toBeInstanceOf(Error);
  });
});
