import type { FastifyInstance } from 'fastify';
import type { AppDependencies } from './app.js';
import { buildApp } from './app.js';
import { resolveConfig, type MockConfig } from './config.js';
import { interfaceAddresses, isLoopbackHost, isWildcardAddress } from './security/hosts.js';
import { realmUrls } from './urls.js';

/** A listening mock server. */
export interface RunningMockServer {
  /** The origin it listens on (or its `publicUrl`), e.g. `http://127.0.0.1:8765`. */
  url: string;
  /** The realm's issuer, `${url}/auth/realms/nextgen`. */
  issuer: string;
  /** `${url}/api/fhir/r4`. */
  fhirBaseUrl: string;
  /** The bound address and port, as `listen` took them: `0.0.0.0:8765`, `[::1]:8765`. */
  listening: string;
  /** Every origin that reaches it: `url`, or each interface's address when bound to all. */
  addresses: string[];
  /** Whether it listens beyond loopback, so other machines can reach it. */
  exposed: boolean;
  app: FastifyInstance;
  close(): Promise<void>;
}

/**
 * Builds the app and listens on `config.host`:`config.port` (`port: 0` picks a free port), for
 * another project's test `globalSetup` or the bin.
 */
export async function startMockServer(
  config: Partial<MockConfig> = {},
  dependencies: AppDependencies = {},
): Promise<RunningMockServer> {
  const resolved = resolveConfig(config);
  const app = await buildApp(config, dependencies);
  try {
    await app.listen({ port: resolved.port, host: resolved.host });
  } catch (error) {
    await app.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : resolved.port;
  const host = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host;
  const wildcard = isWildcardAddress(resolved.host);
  // Bound to every interface, loopback reaches it too: the URL a local test runner should use.
  const url = resolved.publicUrl
    ? new URL(resolved.publicUrl).origin
    : `http://${wildcard ? '127.0.0.1' : host}:${port}`;
  const urls = realmUrls(url);
  const addresses = wildcard
    ? interfaceAddresses().map((address) => `http://${address}:${port}`)
    : [`http://${host}:${port}`];
  return {
    url,
    issuer: urls.issuer,
    fhirBaseUrl: urls.fhirBase,
    listening: `${host}:${port}`,
    addresses,
    exposed: !isLoopbackHost(resolved.host),
    app,
    close: () => app.close(),
  };
}
