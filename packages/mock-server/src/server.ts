import type { FastifyInstance } from 'fastify';
import type { AppDependencies } from './app.js';
import { buildApp } from './app.js';
import { resolveConfig, type MockConfig } from './config.js';
import { realmUrls } from './urls.js';

/** A listening mock server. */
export interface RunningMockServer {
  /** The origin it listens on (or its `publicUrl`), e.g. `http://127.0.0.1:8765`. */
  url: string;
  /** The realm's issuer, `${url}/auth/realms/nextgen`. */
  issuer: string;
  /** `${url}/api/fhir/r4`. */
  fhirBaseUrl: string;
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
  const url = resolved.publicUrl
    ? new URL(resolved.publicUrl).origin
    : `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${port}`;
  const urls = realmUrls(url);
  return {
    url,
    issuer: urls.issuer,
    fhirBaseUrl: urls.fhirBase,
    app,
    close: () => app.close(),
  };
}
