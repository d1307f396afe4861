import { hostname as machineName, networkInterfaces } from 'node:os';
import { isIP } from 'node:net';

/** Names that always reach this machine and no other: a browser never asks DNS for them. */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

/** The addresses that mean "every interface" to `listen`. */
const WILDCARDS = new Set(['0.0.0.0', '::', '0:0:0:0:0:0:0:0', '']);

/** `host` without the brackets of an IPv6 literal, lower-cased. */
function bare(host: string): string {
  const lower = host.toLowerCase();
  return lower.startsWith('[') && lower.endsWith(']') ? lower.slice(1, -1) : lower;
}

/**
 * Whether `host` (a bind address or a Host name) is loopback only: `localhost` and its
 * subdomains (RFC 6761 §6.3), `127.0.0.0/8`, `::1` and IPv4-mapped loopback.
 * @see https://www.rfc-editor.org/rfc/rfc6761#section-6.3
 */
export function isLoopbackHost(host: string): boolean {
  const name = bare(host);
  if (name === 'localhost' || name.endsWith('.localhost') || name === '::1') return true;
  const v4 = name.startsWith('::ffff:') ? name.slice(7) : name;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/** Whether `address` makes `listen` accept connections on every interface. */
export function isWildcardAddress(address: string): boolean {
  return WILDCARDS.has(bare(address));
}

/** The machine's own interface addresses, each as a URL host (`[v6]`). */
export function interfaceAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((each) => each !== undefined)
    .map((each) => (each.family === 'IPv6' ? `[${each.address}]` : each.address));
}

/** What decides which `Host` names the mock answers. */
export interface HostPolicy {
  /** The bind address (`--host`). */
  host: string;
  /** `--public-url`: its host is the name clients behind the proxy use. */
  publicUrl: string | undefined;
  /** `--allowed-host` and the config file's `allowedHosts`. */
  allowedHosts: readonly string[];
}

/**
 * The host names (lower case, IPv6 without brackets, no port) the mock answers: the loopback
 * names, the bound address, the public URL's host, the allowed hosts; bound to every interface,
 * also the machine's own addresses and name, which is how other machines reach it.
 */
export function allowedHostnames(policy: HostPolicy): Set<string> {
  const names = new Set(LOOPBACK_NAMES);
  if (isWildcardAddress(policy.host)) {
    for (const address of interfaceAddresses()) names.add(bare(address));
    names.add(machineName().toLowerCase());
  } else {
    names.add(bare(policy.host));
  }
  if (policy.publicUrl) names.add(bare(new URL(policy.publicUrl).hostname));
  for (const host of policy.allowedHosts) names.add(bare(host));
  return names;
}

/** The name of a `Host` header, without its port; `undefined` when it is not one. */
export function hostnameOf(header: string): string | undefined {
  if (header.startsWith('[')) {
    const end = header.indexOf(']');
    return end < 0 ? undefined : header.slice(1, end).toLowerCase();
  }
  const colon = header.indexOf(':');
  return (colon < 0 ? header : header.slice(0, colon)).toLowerCase();
}

/** How many distinct accepted `Host` values are remembered (names times ports). */
const ACCEPTED_LIMIT = 64;

/**
 * The check of a request's `Host` header against `allowed`: `undefined` when the mock answers for
 * it, else the error to refuse it with, 421 Misdirected Request. A DNS-rebinding page reaches the
 * mock under the attacker's name, and without this check it would read everything as
 * same-origin (`/__admin/tokens` included) and make the realm announce that name as its issuer.
 * The app runs it before any handler (`registerRequestGate`); the error goes to the error
 * handler of the route's plugin, so it answers in that protocol's shape.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-15.5.20
 */
export function hostCheck(
  allowed: ReadonlySet<string>,
): (header: string | undefined) => Error | undefined {
  // Accepted header values, so a steady client costs one Set look-up.
  const accepted = new Set<string>();
  return (header = '') => {
    if (accepted.has(header)) return undefined;
    const name = hostnameOf(header);
    if (name !== undefined && allowed.has(name)) {
      if (accepted.size < ACCEPTED_LIMIT) accepted.add(header);
      return undefined;
    }
    return Object.assign(
      new Error(
        `Misdirected Request: this server does not answer for host "${name ?? header}"; start it with --allowed-host ${name || '<name>'} to allow it`,
      ),
      { statusCode: 421, code: 'MISDIRECTED_REQUEST' },
    );
  };
}
