import type { FastifyRequest } from 'fastify';
import type { Clock } from '../clock.js';
import type { MockConfig, Quirk } from '../config.js';
import { publicOrigin } from '../origin.js';
import type { AccountDirectory } from './accounts.js';
import type { BruteForceGuard } from './brute-force.js';
import type { ClientKeySource } from './client-keys.js';
import type { ClientRegistry } from './clients.js';
import type { SigningKeys } from './keys.js';
import type { IdentityStore } from './sessions/store.js';
import { realmUrls, type RealmUrls } from '../urls.js';

/** What every identity endpoint works with: one per app, shared by its routes. */
export interface IdentityContext {
  config: MockConfig;
  clock: Clock;
  clients: ClientRegistry;
  /** The public keys of `private_key_jwt` clients, their `jwks_uri` fetched and cached. */
  clientKeys: ClientKeySource;
  accounts: AccountDirectory;
  store: IdentityStore;
  bruteForce: BruteForceGuard;
  /** Resolves once the key is generated or loaded; generation starts with the app, unawaited. */
  keys: () => Promise<SigningKeys>;
  practiceId: string;
  quirks: ReadonlySet<Quirk>;
}

/** The realm's URLs as the caller of `request` sees them. */
export function urlsFor(context: IdentityContext, request: FastifyRequest): RealmUrls {
  return realmUrls(publicOrigin(request, context.config.publicUrl));
}
