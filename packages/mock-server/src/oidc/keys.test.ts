import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadSigningKeys } from './keys.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mock-keys-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('loadSigningKeys', () => {
  test('generates one key per process when no file is given', async () => {
    const [a, b] = await Promise.all([loadSigningKeys(undefined), loadSigningKeys(undefined)]);
    expect(a.kid).toBe(b.kid);
  });

  test('creates a key file readable only by its owner, then loads the same key from it', async () => {
    const file = join(dir, 'keys.json');
    const created = await loadSigningKeys(file);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const loaded = await loadSigningKeys(file);
    expect(loaded.kid).toBe(created.kid);
    expect(JSON.parse(await readFile(file, 'utf8')).privateJwk.kty).toBe('RSA');
  });

  test('rejects a file without an RSA private key', async () => {
    const file = join(dir, 'bad.json');
    await writeFile(file, '{"privateJwk":{"kty":"EC"}}');
    await expect(loadSigningKeys(file)).rejects.toThrow('does not hold an RSA private JWK');
  });
});
