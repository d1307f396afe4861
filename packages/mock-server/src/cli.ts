import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  DEFAULT_CONFIG,
  DEFAULT_QUIRKS,
  QUIRKS,
  parseQuirks,
  resolveConfig,
  type AccountConfig,
  type ClientConfig,
  type LogLevel,
  type MockConfig,
} from './config.js';
import { accountFromConfig } from './data/accounts.js';
import { generateDataset } from './data/index.js';
import { startMockServer, type RunningMockServer } from './server.js';

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
  --port <n>           Port to listen on (default ${DEFAULT_CONFIG.port}; 0 picks a free one)
  --host <addr>        Address to bind (default ${DEFAULT_CONFIG.host})
  --public-url <url>   Origin to announce when behind a proxy (default: the request's origin)
  --config <file>      JSON file: clients, accounts, lifetimes, lockout, rateLimit, quirks
  --seed <n>           Seed of the generated data (default ${DEFAULT_CONFIG.seed})
  --patients <n>       Extra synthetic patients, each with an account (default 0)
  --quirks <list>      Comma-separated quirks, or "all" / "none" (default ${DEFAULT_QUIRKS.join(',')})
                       Known: ${QUIRKS.join(', ')}
  --no-admin           Disable the /__admin test controls
  --keys <file>        Signing key file; created if missing, so tokens survive restarts
  --log-level <level>  ${LOG_LEVELS.join(' | ')} (default info)
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

/** Parses `argv` (without `node` and the script); throws a {@link UsageError} on bad input. */
export function parseCommandLine(argv: readonly string[]): Command {
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
        admin: { type: 'boolean' },
        keys: { type: 'string' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return { kind: 'help' };
  const config: Partial<MockConfig> = values.config ? readConfigFile(values.config) : {};
  if (values.port !== undefined) config.port = integer('port', values.port, 0, 65535);
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
  if (values.admin === false) config.admin = false;
  if (values.keys !== undefined) config.keysFile = values.keys;
  const level = values['log-level'] ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got "${level}".`);
  }
  config.logLevel = level as LogLevel;
  try {
    resolveConfig(config);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return { kind: 'run', config };
}

interface ConfigFile {
  clients?: Array<Partial<ClientConfig> & { secret?: string }>;
  accounts?: AccountConfig[];
  users?: AccountConfig[];
  lifetimes?: Partial<MockConfig['lifetimes']>;
  lockout?: Partial<MockConfig['lockout']>;
  rateLimit?: Partial<MockConfig['rateLimit']>;
  quirks?: string[];
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
  const clients = (parsed.clients ?? []).map((client, index): ClientConfig => {
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
  };
}

/** Output streams of {@link runCli}. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** The start-up banner: issuer, FHIR base, users, clients. */
export function banner(server: RunningMockServer, config: Partial<MockConfig>): string {
  const dataset = generateDataset({
    seed: config.seed ?? DEFAULT_CONFIG.seed,
    extraPatients: 0,
    accounts: (config.accounts ?? []).map(accountFromConfig),
  });
  const users = dataset.accounts
    .map((account) => `  ${account.username} / ${account.password}  (patient ${account.patientId})`)
    .join('\n');
  const clients = [...DEFAULT_CONFIG.clients, ...(config.clients ?? [])]
    .map(
      (client) =>
        `  ${client.clientId}  ${client.secrets.length ? `secret ${client.secrets[0]}` : 'public (PKCE)'}`,
    )
    .join('\n');
  return `NextGen Office mock listening on ${server.url}
Issuer:    ${server.issuer}
FHIR base: ${server.fhirBaseUrl}
Users:
${users}${config.extraPatients ? `\n  ... and ${config.extraPatients} synthetic accounts` : ''}
Clients:
${clients}
${config.admin === false ? '' : `Test controls: ${server.url}/__admin\n`}`;
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
    command = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`patient-access-mock: ${error.message}\nTry --help.\n`);
    return 2;
  }
  if (command.kind === 'help') {
    io.stdout.write(USAGE);
    return 0;
  }
  const server = await startMockServer(command.config);
  io.stdout.write(banner(server, command.config));
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
