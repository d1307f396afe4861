import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { parseArgs } from 'node:util';
import {
  DEFAULT_CONFIG,
  DEFAULT_QUIRKS,
  QUIRKS,
  RATE_LIMIT_WHEN_ON,
  parseQuirks,
  resolveConfig,
  type AccountConfig,
  type ClientRegistration,
  type LogFormat,
  type LogLevel,
  type MockConfig,
} from './config.js';
import { accountFromConfig } from './data/accounts.js';
import { generateDataset } from './data/index.js';
import { registrationFromMetadata, type ClientMetadata } from './oidc/client-metadata.js';
import { startMockServer, type RunningMockServer } from './server.js';

const LOG_FORMATS: readonly LogFormat[] = ['json', 'pretty'];

const LOG_LEVELS: readonly LogLevel[] = [
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
];

/** The `--help` text. */
export const USAGE = `Usage: patient-access-mock [options]

A local mock of the NextGen Office Patient Access API (Keycloak realm "nextgen" + US Core FHIR R4).

Options:
  --port <n>           Port to listen on (default: $PORT, else ${DEFAULT_CONFIG.port}; 0 picks a free one)
  --host <addr>        Address to bind (default ${DEFAULT_CONFIG.host})
  --public-url <url>   Origin to announce when behind a proxy (default: the request's origin)
  --allowed-host <name>  Also answer requests for this Host name (repeatable); others get 421
  --config <file>      JSON file: clients, accounts, lifetimes, lockout, rateLimit, quirks,
                       allowedHosts, revokeRefreshToken, refreshTokenMaxReuse
  --seed <n>           Seed of the generated data (default ${DEFAULT_CONFIG.seed})
  --patients <n>       Extra synthetic patients, each with an account (default 0)
  --quirks <list>      Comma-separated quirks, or "all" / "none" (default ${DEFAULT_QUIRKS.join(',')})
                       Known: ${QUIRKS.join(', ')}
  --admin, --no-admin  Turn the /__admin test controls on or off (default: on when bound to
                       loopback, off otherwise)
  --keys <file>        Signing key file; created if missing, so tokens survive restarts
  --rate-limit         Limit login and token requests to ${RATE_LIMIT_WHEN_ON.loginPerMinute} a minute per client IP
                       (off by default, as in Keycloak; --config sets other figures)
  --log-level <level>  ${LOG_LEVELS.join(' | ')} (default info)
  --log-format <fmt>   ${LOG_FORMATS.join(' | ')} (default: pretty in a terminal, json otherwise)
  --help               Show this help
`;

/** A command-line mistake: reported with the usage hint, exit status 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** What the command line asks for. */
export type Command = { kind: 'help' } | { kind: 'run'; config: Partial<MockConfig> };

function integer(name: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got "${value}".`);
  }
  return Number(value);
}

/** What the command line reads besides its arguments. */
export interface CommandContext {
  /** `PORT` is the port when `--port` is not given. */
  env: Record<string, string | undefined>;
  /** Whether stdout is a terminal: the default log format follows it. */
  isTerminal: boolean;
}

/**
 * Parses `argv` (without `node` and the script); throws a {@link UsageError} on bad input.
 */
export function parseCommandLine(
  argv: readonly string[],
  context: CommandContext = { env: {}, isTerminal: false },
): Command {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      allowNegative: true,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'public-url': { type: 'string' },
        config: { type: 'string' },
        seed: { type: 'string' },
        patients: { type: 'string' },
        quirks: { type: 'string' },
        'allowed-host': { type: 'string', multiple: true },
        admin: { type: 'boolean' },
        keys: { type: 'string' },
        'rate-limit': { type: 'boolean' },
        'log-level': { type: 'string' },
        'log-format': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return { kind: 'help' };
  const config: Partial<MockConfig> = values.config ? readConfigFile(values.config) : {};
  if (values.port !== undefined) config.port = integer('port', values.port, 0, 65535);
  else if (context.env.PORT) {
    if (!/^\d+$/.test(context.env.PORT) || Number(context.env.PORT) > 65535) {
      throw new UsageError(`PORT must be an integer from 0 to 65535, got "${context.env.PORT}".`);
    }
    config.port = Number(context.env.PORT);
  }
  if (values.host !== undefined) config.host = values.host;
  if (values['public-url'] !== undefined) {
    if (
      !URL.canParse(values['public-url']) ||
      !/^https?:$/.test(new URL(values['public-url']).protocol)
    ) {
      throw new UsageError(`--public-url must be an http(s) URL, got "${values['public-url']}".`);
    }
    config.publicUrl = values['public-url'];
  }
  if (values.seed !== undefined) config.seed = integer('seed', values.seed, 0, 2 ** 31 - 1);
  if (values.patients !== undefined) {
    config.extraPatients = integer('patients', values.patients, 0, 1_000_000);
  }
  if (values.quirks !== undefined) {
    try {
      config.quirks = parseQuirks(values.quirks);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  if (values.admin !== undefined) config.admin = values.admin;
  if (values['allowed-host'] !== undefined) {
    config.allowedHosts = [...(config.allowedHosts ?? []), ...values['allowed-host']];
  }
  if (values.keys !== undefined) config.keysFile = values.keys;
  // --rate-limit turns on the limits the config file leaves off; --no-rate-limit turns all off.
  if (values['rate-limit'] === true) {
    config.rateLimit = {
      loginPerMinute: config.rateLimit?.loginPerMinute || RATE_LIMIT_WHEN_ON.loginPerMinute,
      tokenPerMinute: config.rateLimit?.tokenPerMinute || RATE_LIMIT_WHEN_ON.tokenPerMinute,
    };
  } else if (values['rate-limit'] === false) {
    config.rateLimit = { loginPerMinute: 0, tokenPerMinute: 0 };
  }
  const level = values['log-level'] ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got "${level}".`);
  }
  config.logLevel = level as LogLevel;
  const format = values['log-format'] ?? (context.isTerminal ? 'pretty' : 'json');
  if (!(LOG_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--log-format must be json or pretty, got "${format}".`);
  }
  config.logFormat = format as LogFormat;
  try {
    resolveConfig(config);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return { kind: 'run', config };
}

interface ConfigFile {
  /** The mock's own shape (`clientId`, `secret`, `redirectUris`), or RFC 7591 metadata (`client_id`, …). */
  clients?: Array<(Partial<ClientRegistration> & { secret?: string }) | ClientMetadata>;
  accounts?: AccountConfig[];
  users?: AccountConfig[];
  lifetimes?: Partial<MockConfig['lifetimes']>;
  lockout?: Partial<MockConfig['lockout']>;
  rateLimit?: Partial<MockConfig['rateLimit']>;
  quirks?: string[];
  allowedHosts?: string[];
  revokeRefreshToken?: boolean;
  refreshTokenMaxReuse?: number;
}

/** Reads `--config`: the file format of the README. */
function readConfigFile(file: string): Partial<MockConfig> {
  let parsed: ConfigFile;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as ConfigFile;
  } catch (error) {
    throw new UsageError(`--config ${file}: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UsageError(`--config ${file}: expected a JSON object.`);
  }
  const clients = (parsed.clients ?? []).map((entry, index): ClientRegistration => {
    if (entry !== null && typeof entry === 'object' && 'client_id' in entry) {
      try {
        return registrationFromMetadata(entry);
      } catch (error) {
        throw new UsageError(`--config ${file}: clients[${index}]: ${(error as Error).message}`);
      }
    }
    const client = entry as Partial<ClientRegistration> & { secret?: string };
    if (typeof client.clientId !== 'string' || !Array.isArray(client.redirectUris)) {
      throw new UsageError(
        `--config ${file}: clients[${index}] needs "clientId" and "redirectUris".`,
      );
    }
    return {
      clientId: client.clientId,
      secrets: client.secrets ?? (client.secret === undefined ? [] : [client.secret]),
      redirectUris: client.redirectUris,
      ...(client.postLogoutRedirectUris
        ? { postLogoutRedirectUris: client.postLogoutRedirectUris }
        : {}),
      ...(client.name ? { name: client.name } : {}),
      ...(client.idTokenSignedResponseAlg
        ? { idTokenSignedResponseAlg: client.idTokenSignedResponseAlg }
        : {}),
    };
  });
  const accounts = [...(parsed.accounts ?? []), ...(parsed.users ?? [])];
  accounts.forEach((account, index) => {
    for (const key of ['username', 'password', 'personId', 'patientId'] as const) {
      if (typeof account[key] !== 'string') {
        throw new UsageError(`--config ${file}: accounts[${index}] needs a string "${key}".`);
      }
    }
  });
  let quirks;
  try {
    quirks = parsed.quirks === undefined ? undefined : parseQuirks(parsed.quirks.join(','));
  } catch (error) {
    throw new UsageError(`--config ${file}: ${(error as Error).message}`);
  }
  return {
    clients,
    accounts,
    ...(parsed.lifetimes
      ? { lifetimes: { ...DEFAULT_CONFIG.lifetimes, ...parsed.lifetimes } }
      : {}),
    ...(parsed.lockout ? { lockout: { ...DEFAULT_CONFIG.lockout, ...parsed.lockout } } : {}),
    ...(parsed.rateLimit
      ? { rateLimit: { ...DEFAULT_CONFIG.rateLimit, ...parsed.rateLimit } }
      : {}),
    ...(quirks ? { quirks } : {}),
    ...(parsed.allowedHosts === undefined ? {} : { allowedHosts: parsed.allowedHosts }),
    ...(parsed.revokeRefreshToken === undefined
      ? {}
      : { revokeRefreshToken: parsed.revokeRefreshToken }),
    ...(parsed.refreshTokenMaxReuse === undefined
      ? {}
      : { refreshTokenMaxReuse: parsed.refreshTokenMaxReuse }),
  };
}

/** Output streams and environment of {@link runCli}. */
export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown };
  env?: Record<string, string | undefined>;
}

/** The start-up banner: where it listens, issuer, FHIR base, users, clients, test controls. */
export function banner(server: RunningMockServer, config: Partial<MockConfig>): string {
  const resolved = resolveConfig(config);
  const dataset = generateDataset({
    seed: resolved.seed,
    extraPatients: 0,
    accounts: resolved.accounts.map(accountFromConfig),
  });
  const users = dataset.accounts
    .map((account) => `  ${account.username} / ${account.password}  (patient ${account.patientId})`)
    .join('\n');
  const clients = resolved.clients
    .map(
      (client) =>
        `  ${client.clientId}  ${client.secrets.length ? `secret ${client.secrets[0]}` : (client.tokenEndpointAuthMethod ?? 'none') === 'none' ? 'public (PKCE)' : client.tokenEndpointAuthMethod}`,
    )
    .join('\n');
  const controls = resolved.admin
    ? `Test controls: ${server.url}/__admin`
    : config.admin === false
      ? 'Test controls: off (--no-admin)'
      : `Test controls: off, since ${server.listening} is reachable from the network (--admin turns them on)`;
  // Loopback keeps the line tools parse (`listening on http://127.0.0.1:<port>`); bound wider, it
  // names the bound address, never a loopback URL that hides the exposure.
  const listening = server.exposed
    ? `${server.listening}, reachable at ${server.addresses.join(', ')}`
    : server.url;
  return `${server.exposed ? exposureWarning(server, resolved.admin) : ''}NextGen Office mock listening on ${listening}
Issuer:    ${server.issuer}
FHIR base: ${server.fhirBaseUrl}
Users:
${users}${config.extraPatients ? `\n  ... and ${config.extraPatients} synthetic accounts` : ''}
Clients:
${clients}
${controls}
`;
}

/**
 * The warning printed (and logged) when the mock listens beyond loopback: its users' passwords
 * and client secrets are public, and every machine that reaches these addresses can sign in.
 */
function exposureWarning(server: RunningMockServer, admin: boolean): string {
  return `WARNING: the mock listens on ${server.listening}, not on loopback only: every machine that
reaches ${server.addresses.join(', ')} can sign in with the published test passwords and
read every patient's record${admin ? ', and use the /__admin test controls (reset, clock, faults)' : ''}.
Bind to 127.0.0.1 (the default) unless another machine must reach it.

`;
}

/**
 * Runs the bin: prints help (0), reports a usage error (2), or starts the server and resolves to
 * it; SIGINT/SIGTERM close it.
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo = process,
): Promise<number | RunningMockServer> {
  let command: Command;
  try {
    command = parseCommandLine(argv, {
      env: io.env ?? {},
      isTerminal: io.stdout.isTTY === true,
    });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`patient-access-mock: ${error.message}\nTry --help.\n`);
    return 2;
  }
  if (command.kind === 'help') {
    io.stdout.write(USAGE);
    return 0;
  }
  let server: RunningMockServer;
  try {
    server = await startMockServer(command.config);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    const host = command.config.host ?? DEFAULT_CONFIG.host;
    const port = command.config.port ?? DEFAULT_CONFIG.port;
    io.stderr.write(await portInUse(host, port, io.env ?? {}));
    return 1;
  }
  io.stdout.write(banner(server, command.config));
  if (server.exposed) {
    server.app.log.warn(
      { listening: server.listening, addresses: server.addresses },
      'the mock is reachable from the network: test passwords and client secrets are public',
    );
  }
  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  // `on`, not `once`: with `once`, Node 20 was seen dying of the signal (exit 143) before the
  // close finished, apparently because the default action returns with the last listener.
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  return server;
}

/** What to say when the port is taken: the exact flag to use, with a port that is free now. */
export async function portInUse(
  host: string,
  port: number,
  env: Record<string, string | undefined>,
): Promise<string> {
  let free: number | undefined;
  for (let candidate = port + 1; candidate <= Math.min(port + 20, 65535); candidate += 1) {
    if (await canListen(host, candidate)) {
      free = candidate;
      break;
    }
  }
  const flag = `--port ${free ?? 0}`;
  // `npm start` passes its extra arguments to the bin after `--`.
  const command =
    env.npm_lifecycle_event === 'start' ? `npm start -- ${flag}` : `patient-access-mock ${flag}`;
  return `patient-access-mock: port ${port} on ${host} is already in use (another mock, or another server).
Start on another port: ${command}${free ? '' : ' (any free port)'}; PORT=<n> works too.
`;
}

function canListen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}
