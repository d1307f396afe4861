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

/** What `banner` reads of a server on 127.0.0.1:8765, with `overrides` on top. */
function loopbackServer(overrides: Partial<RunningMockServer> = {}): RunningMockServer {
  return {
    url: 'http://127.0.0.1:8765',
    issuer: '',
    fhirBaseUrl: '',
    listening: '127.0.0.1:8765',
    addresses: ['http://127.0.0.1:8765'],
    exposed: false,
    ...overrides,
  } as RunningMockServer;
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
          'hapi-forbidden-403',
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

  test('reads RFC 7591 client metadata from --config, as POST /__admin/clients takes it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mock-cli-'));
    const file = join(dir, 'mock.json');
    await writeFile(
      file,
      JSON.stringify({
        clients: [
          {
            client_id: 'backend',
            token_endpoint_auth_method: 'private_key_jwt',
            jwks_uri: 'http://127.0.0.1:9000/jwks',
            grant_types: ['client_credentials'],
            scope: 'system/*.read',
          },
        ],
      }),
    );
    const command = parseCommandLine(['--config', file]);
    await rm(dir, { recursive: true, force: true });
    expect(command.kind === 'run' && command.config.clients?.[0]).toEqual({
      clientId: 'backend',
      secrets: [],
      redirectUris: [],
      tokenEndpointAuthMethod: 'private_key_jwt',
      jwksUri: 'http://127.0.0.1:9000/jwks',
      grantTypes: ['client_credentials'],
      scope: 'system/*.read',
    });
  });

  test('reports invalid RFC 7591 client metadata in --config and exits 2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mock-cli-'));
    const file = join(dir, 'mock.json');
    await writeFile(
      file,
      JSON.stringify({
        clients: [{ client_id: 'x', token_endpoint_auth_method: 'private_key_jwt' }],
      }),
    );
    const { out, streams } = io();
    expect(await runCli(['--config', file], streams)).toBe(2);
    await rm(dir, { recursive: true, force: true });
    expect(out.stderr).toContain(
      'clients[0]: redirect_uris is required for the authorization_code grant',
    );
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
    const text = banner(loopbackServer(), {
      clients: [{ clientId: 'yourHealthFile', secrets: ['rotated'], redirectUris: ['http://x/'] }],
    });
    expect(text.match(/ yourHealthFile /g)).toHaveLength(1);
    expect(text).toContain('yourHealthFile  secret rotated');
  });

  test('warns loudly with the real addresses, and keeps the test controls off, on 0.0.0.0', async () => {
    const { out, streams } = io();
    const server = await runCli(
      ['--host', '0.0.0.0', '--port', '0', '--log-level', 'silent'],
      streams,
    );
    if (typeof server === 'number') throw new Error(`exit ${server}: ${out.stderr}`);
    try {
      expect(out.stdout).toMatch(
        /^WARNING: the mock listens on 0\.0\.0\.0:\d+, not on loopback only/,
      );
      expect(out.stdout).toContain(`listening on ${server.listening}, reachable at `);
      expect(out.stdout).not.toContain('listening on http://127.0.0.1');
      expect(server.addresses.length).toBeGreaterThan(0);
      for (const address of server.addresses) expect(out.stdout).toContain(address);
      expect(out.stdout).toContain('Test controls: off, since 0.0.0.0:');
      expect((await fetch(`${server.url}/__admin`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  test('turns the test controls on off loopback only with --admin, and says so', () => {
    const server = loopbackServer({
      listening: '0.0.0.0:8765',
      addresses: ['http://10.0.0.7:8765'],
      exposed: true,
    });
    const text = banner(server, { host: '0.0.0.0', admin: true });
    expect(text).toContain('and use the /__admin test controls');
    expect(text).toContain('Test controls: http://127.0.0.1:8765/__admin');
  });

  test('prints no warning on loopback', () => {
    const text = banner(loopbackServer(), {});
    expect(text).toMatch(/^NextGen Office mock listening on http:\/\/127\.0\.0\.1:8765\n/);
    expect(text).not.toContain('WARNING');
  });

  test("takes repeated --allowed-host flags and the config file's allowedHosts together", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mock-hosts-'));
    const file = join(dir, 'mock.json');
    await writeFile(file, JSON.stringify({ allowedHosts: ['from-file.test'] }));
    try {
      const command = parseCommandLine([
        '--config',
        file,
        '--allowed-host',
        'one.test',
        '--allowed-host',
        'two.test',
        '--admin',
      ]);
      expect(command).toMatchObject({
        kind: 'run',
        config: { allowedHosts: ['from-file.test', 'one.test', 'two.test'], admin: true },
      });
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  test('refuses an --allowed-host that is a URL, and exits 2', async () => {
    const { streams } = io();
    expect(await runCli(['--allowed-host', 'http://x.test/'], streams)).toBe(2);
  });
});
