import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { RunningMockServer } from './server.js';
import { banner, parseCommandLine, portInUse, runCli, USAGE } from './cli.js';

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
        quirks: [
          'authorization-response-iss',
          'need-patient-banner-string',
          'patient-leading-space',
          'smart-style-url-spaces',
        ],
        admin: false,
        logLevel: 'info',
        logFormat: 'json',
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

  test('takes the port from PORT when --port is not given', () => {
    const command = parseCommandLine([], { env: { PORT: '9100' }, isTerminal: false });
    expect(command.kind === 'run' && command.config.port).toBe(9100);
  });

  test('prefers --port to PORT', () => {
    const command = parseCommandLine(['--port', '9200'], {
      env: { PORT: '9100' },
      isTerminal: false,
    });
    expect(command.kind === 'run' && command.config.port).toBe(9200);
  });

  test('reports a bad PORT and exits 2', async () => {
    const { out, streams } = io();
    expect(await runCli([], { ...streams, env: { PORT: 'http' } })).toBe(2);
    expect(out.stderr).toContain('PORT must be an integer from 0 to 65535, got "http"');
  });

  test('leaves the rate limits off unless --rate-limit asks for them', () => {
    const off = parseCommandLine([]);
    const on = parseCommandLine(['--rate-limit']);
    expect(off.kind === 'run' && off.config.rateLimit).toBeUndefined();
    expect(on.kind === 'run' && on.config.rateLimit).toEqual({
      loginPerMinute: 600,
      tokenPerMinute: 600,
    });
  });

  test('keeps the figures of the config file with --rate-limit', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mock-cli-'));
    const file = join(dir, 'mock.json');
    await writeFile(file, JSON.stringify({ rateLimit: { tokenPerMinute: 30 } }));
    const command = parseCommandLine(['--config', file, '--rate-limit']);
    await rm(dir, { recursive: true, force: true });
    expect(command.kind === 'run' && command.config.rateLimit).toEqual({
      loginPerMinute: 600,
      tokenPerMinute: 30,
    });
  });

  test('logs readable lines in a terminal and JSON elsewhere, unless --log-format says', () => {
    const format = (argv: string[], isTerminal: boolean) => {
      const command = parseCommandLine(argv, { env: {}, isTerminal });
      return command.kind === 'run' ? command.config.logFormat : undefined;
    };
    expect(format([], true)).toBe('pretty');
    expect(format([], false)).toBe('json');
    expect(format(['--log-format', 'json'], true)).toBe('json');
    expect(format(['--log-format', 'pretty'], false)).toBe('pretty');
  });

  test('reports an unknown --log-format and exits 2', async () => {
    const { out, streams } = io();
    expect(await runCli(['--log-format', 'xml'], streams)).toBe(2);
    expect(out.stderr).toContain('--log-format must be json or pretty');
  });

  test('answers a port in use with the exact --port flag of a free one, and exits 1', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    const { out, streams } = io();
    try {
      expect(await runCli(['--port', String(port), '--log-level', 'silent'], streams)).toBe(1);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
    const flag = /patient-access-mock --port (\d+)/.exec(out.stderr)?.[1];
    expect(out.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
    expect(Number(flag)).toBeGreaterThan(port);
  });

  test('words the hint for npm start when npm start ran the bin', async () => {
    const message = await portInUse('127.0.0.1', 65_535, { npm_lifecycle_event: 'start' });
    expect(message).toContain('npm start -- --port 0');
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
