import Fastify, { type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import { adminPlugin } from './admin/plugin.js';
import { ccdaPlugin } from './ccda/plugin.js';
import { AdjustableClock } from './clock.js';
import { resolveConfig, type MockConfig } from './config.js';
import { accountFromConfig } from './data/accounts.js';
import { generateDataset } from './data/index.js';
import { FaultRegistry, registerFaultInjection } from './faults.js';
import { answerFhirError } from './fhir/errors.js';
import { fhirPlugin } from './fhir/plugin.js';
import { launcherPlugin } from './landing/launcher.js';
import { landingPlugin } from './landing/plugin.js';
import { AccountDirectory, selectablePatients } from './oidc/accounts.js';
import { BruteForceGuard } from './oidc/brute-force.js';
import { ClientKeySource } from './oidc/client-keys.js';
import { ClientRegistry } from './oidc/clients.js';
import type { IdentityContext } from './oidc/context.js';
import { answerIdentityError } from './oidc/errors.js';
import { loadSigningKeys, type SigningKeys } from './oidc/keys.js';
import { identityPlugin } from './oidc/plugin.js';
import { IdentityStore } from './oidc/sessions/store.js';
import { RealmTokenVerifier } from './oidc/verifier.js';
import { ADMIN_PATH, CCDA_PATH, CCDA_ROUTES, FHIR_PATH, REALM_PATH } from './routes.js';
import {
  clientErrorHandler,
  registerLastResort,
  routerErrorHandler,
} from './security/error-handler.js';
import { registerRequestGate } from './security/headers.js';
import { allowedHostnames, hostCheck } from './security/hosts.js';
import { RequestLineLog, loggerOptions } from './security/logging.js';

/** Collaborators a test may supply instead of the defaults. */
export interface AppDependencies {
  /** The clock everything expires by; `/__admin/clock` moves it. */
  clock?: AdjustableClock;
}

const PRUNE_INTERVAL_MS = 30_000;

/**
 * The mock server (identity and FHIR sides, test controls, landing page) as a Fastify app that
 * has not started listening: tests drive it with `app.inject`.
 */
export async function buildApp(
  config: Partial<MockConfig> = {},
  dependencies: AppDependencies = {},
): Promise<FastifyInstance> {
  const resolved = resolveConfig(config);
  const clock = dependencies.clock ?? new AdjustableClock();
  // Started now, awaited by the first route that signs or publishes a key, so the key generation
  // overlaps start-up instead of delaying it.
  const keysPromise = loadSigningKeys(resolved.keysFile);
  keysPromise.catch(() => undefined);
  const keys = (): Promise<SigningKeys> => keysPromise;
  const dataset = generateDataset({
    seed: resolved.seed,
    extraPatients: resolved.extraPatients,
    accounts: resolved.accounts.map(accountFromConfig),
  });
  const store = new IdentityStore();
  const context: IdentityContext = {
    config: resolved,
    clock,
    clients: new ClientRegistry(resolved.clients),
    clientKeys: new ClientKeySource(() => clock.now()),
    accounts: new AccountDirectory(dataset),
    store,
    bruteForce: new BruteForceGuard(resolved.lockout),
    keys,
    practiceId: dataset.practiceId,
    quirks: new Set(resolved.quirks),
  };
  const verifier = new RealmTokenVerifier(keys, store, clock, (subject) => {
    const account = context.accounts.byUserId(subject);
    return account && selectablePatients(account);
  });
  const faults = new FaultRegistry();

  const app = Fastify({
    logger: loggerOptions(resolved.logLevel, resolved.logFormat),
    logController: resolved.logFormat === 'pretty' ? new RequestLineLog() : undefined,
    bodyLimit: resolved.bodyLimit,
    // Fastify 5 waits forever by default: one byte every few seconds held a connection open.
    requestTimeout: resolved.requestTimeout,
    connectionTimeout: resolved.connectionTimeout,
    // Node arms its request timeout only when the server is constructed with it (setting it
    // afterwards, as Fastify does, is ignored on Node 20), and checks it on an interval (30 s by
    // default, which would double the timeout): never more often than every 250 ms.
    http: {
      requestTimeout: resolved.requestTimeout,
      connectionsCheckingInterval: Math.max(250, Math.min(resolved.requestTimeout / 4, 30_000)),
    },
    clientErrorHandler: clientErrorHandler(FHIR_PATH),
    trustProxy: resolved.publicUrl !== undefined,
    frameworkErrors: routerErrorHandler([
      [FHIR_PATH, answerFhirError],
      [`${CCDA_PATH}${CCDA_ROUTES.document.path}`, answerFhirError],
      [REALM_PATH, answerIdentityError],
    ]),
    // The few route schemas are static and checked against the JSON Schema meta-schema by a
    // test; compiling that meta-schema at every start was a sixth of the bin's cold start.
    ajv: { customOptions: { validateSchema: false } },
  });
  registerLastResort(app);
  // First, so that every answer carries its headers, the Host check's refusals included.
  registerRequestGate(app, hostCheck(allowedHostnames(resolved)));
  // Without the test controls nothing can add a fault, so no route pays for the check.
  if (resolved.admin) registerFaultInjection(app, faults);
  await app.register(formbody, { bodyLimit: resolved.bodyLimit });

  await app.register(identityPlugin, { prefix: REALM_PATH, context, verifier });
  await app.register(fhirPlugin, {
    prefix: FHIR_PATH,
    dataset,
    verifier,
    clock,
    publicUrl: resolved.publicUrl,
    quirks: context.quirks,
  });
  await app.register(ccdaPlugin, {
    prefix: CCDA_PATH,
    dataset,
    verifier,
    clock,
    datasetVersion: `seed ${resolved.seed}`,
    publicUrl: resolved.publicUrl,
  });
  await app.register(landingPlugin, { context });
  if (resolved.admin) {
    await app.register(adminPlugin, {
      prefix: ADMIN_PATH,
      context,
      clock,
      faults,
      verifier,
      publicUrl: resolved.publicUrl,
    });
    await app.register(launcherPlugin, { context });
  }

  const pruner = setInterval(() => {
    store.prune(clock.now());
    context.bruteForce.prune(clock.now());
    verifier.prune(clock.now());
  }, PRUNE_INTERVAL_MS);
  pruner.unref();
  app.addHook('onClose', async () => clearInterval(pruner));
  return app;
}
