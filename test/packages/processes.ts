import { spawn } from 'node:child_process';

/** What a finished command printed. */
export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

// The outer vitest's variables would make a vitest started inside the blank project think it
// runs as one of its workers.
function childEnvironment(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST')),
  );
  return { ...env, NODE_ENV: '', ...extra };
}

interface CommandOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

// In a process group of its own, so that ending it ends what it started (npx runs the bin in a
// child of its own).
function spawnGroup(command: string, args: readonly string[], options: CommandOptions) {
  return spawn(command, args, {
    cwd: options.cwd,
    env: childEnvironment(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
}

/** Runs `command` to its end; a time-out ends it and all it started. */
export function run(
  command: string,
  args: readonly string[],
  options: CommandOptions,
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawnGroup(command, args, options);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      process.kill(-child.pid!, 'SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} timed out\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 300_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A started `patient-access-mock` and the origin its banner announced. */
export interface StartedBin {
  url: string;
  stop(): Promise<void>;
}

/** Starts a command that runs the bin and waits for its "listening on" banner. */
export function startBin(
  command: string,
  args: readonly string[],
  options: CommandOptions,
): Promise<StartedBin> {
  return new Promise((resolve, reject) => {
    const child = spawnGroup(command, args, options);
    let output = '';
    const exited = new Promise<void>((settle) => child.on('close', () => settle()));
    const stop = async () => {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        return;
      }
      await exited;
    };
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`no banner within ${options.timeoutMs ?? 60_000} ms:\n${output}`));
    }, options.timeoutMs ?? 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ url, stop });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${command} exited before its banner:\n${output}`));
    });
  });
}

/** The discovery document of a running mock: proof that it serves the realm. */
export async function discovery(url: string): Promise<{ issuer: string }> {
  const response = await fetch(`${url}/auth/realms/nextgen/.well-known/openid-configuration`);
  if (response.status !== 200) throw new Error(`discovery answered ${response.status}`);
  return (await response.json()) as { issuer: string };
}
