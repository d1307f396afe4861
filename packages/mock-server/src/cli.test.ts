import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { RunningMockServer } from './server.js';
import { banner, parseCommandLine, runCli, USAGE } from './cli.js';

function io() {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    streams: {
      stdout: { write: (text: string) => (out.stdout += text) },
      stderr: { write: (text: string) => (out.stderr += text) },
    },
  };
}

describe('patient-access-mock', () => {
  test('prints the usage with --help and exits 0', async () => {
    const { out, streams } = io();
    expect(await runCli(['--help'], streams)).toBe(0);
    expect(out.stdout).toBe(USAGE);
    expect(out.stdout).toContain('--port <n>');
  });

  test('reports an unknown flag and exits 2', async () => {
    const { out, streams } = io();
    expect(await runCli(['--bogus'], streams)).toBe(2);
    expect(out.stderr).toContain("Unknown option '--bogus'");
  });

  test('reports a bad port and exits 2', async () => {
    const { out, streams } = io();
    expect(await runCli(['--port', 'eighty'], streams)).toBe(2);
    expect(out.stderr).toContain('--port must be an integer');
  });

  test('reports an unknown quirk and exits 2', async () => {
    const { streams } = io();
    expect(await runCli(['--quirks', 'sparkles'], streams)).toBe(2);
  });

  test('maps the flags onto the config', () => {
    expect(
      parseCommandLine([
        '--port',
        '0',
        '--seed',
        '7',
        '--patients',
        '20',
        '--quirks',
        'all',
        '--no-admin',
      ]),
    ).toEqual({
      kind: 'run',
      config: {
        port: 0,
        seed: 7,
        extraPatients: 20,
        quirks: ['need-patient-banner-string', 'patient-leading-space', 'smart-style-url-spaces'],
        admin: false,
        logLevel: 'info',
      },
    });
  });

  test('reports an unreadable config file and exits 2', async () => {
    const { out, streams } = io();
    expect(await runCli(['--config', '/nonexistent/mock.json'], streams)).toBe(2);
    expect(out.stderr).toContain('--config /nonexistent/mock.json');
  });

  test('reads clients, accounts and lifetimes from --config', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mock-cli-'));
    const file = join(dir, 'mock.json');
    await writeFile(
      file,
      JSON.stringify({
        clients: [
          { clientId: 'my-app', secret: 's3cret', redirectUris: ['http://localhost:3000/cb'] },
        ],
        accounts: [{ username: 'nurse', password: 'pw', personId: '9', patientId: '428946523' }],
        lifetimes: { accessToken: 60 },
      }),
    );
    const command = parseCommandLine(['--config', file]);
    await rm(dir, { recursive: true, force: true });
    expect(command.kind === 'run' && command.config.clients?.[0]).toEqual({
      clientId: 'my-app',
      secrets: ['s3cret'],
      redirectUris: ['http://localhost:3000/cb'],
    });
    expect(command.kind === 'run' && command.config.lifetimes?.accessToken).toBe(60);
    expect(command.kind === 'run' && command.config.accounts?.[0]?.username).toBe('nurse');
  });

  test('lists a client the config replaces once, with its new secret', () => {
    const server = { url: 'http://127.0.0.1:8765', issuer: '', fhirBaseUrl: '' };
    const text = banner(server as RunningMockServer, {
      clients: [{ clientId: 'yourHealthFile', secrets: ['rotated'], redirectUris: ['http://x/'] }],
    });
    expect(text.match(/ yourHealthFile /g)).toHaveLength(1);
    expect(text).toContain('yourHealthFile  secret rotated');
  });
});
