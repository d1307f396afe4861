import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, onRequestHookHandler } from 'fastify';
import type { FaultRoute } from './routes.js';

/** "Make the next `count` requests of `route` fail or stall." */
export interface Fault {
  route: FaultRoute;
  count: number;
  /** HTTP status of the failure; defaults to 503 with an `error`, none without. */
  status?: number;
  /** OAuth error code (`temporarily_unavailable`, `server_error`); FHIR routes answer an outcome. */
  error?: string;
  /** Delay before answering (or before the real handler runs, when nothing fails). */
  latencyMs?: number;
}

/**
 * The failure a fault injects, thrown into the route's own plugin, whose error handler answers it
 * in its protocol's shape (OAuth JSON or an `OperationOutcome`).
 */
export class InjectedFault extends Error {
  readonly status: number;
  /** The OAuth `error` the fault asked for, if any. */
  readonly error: string | undefined;

  constructor(fault: Fault) {
    super('Fault injected by /__admin/faults');
    this.name = 'InjectedFault';
    this.status = fault.status ?? 503;
    this.error = fault.error;
  }
}

/** Pending faults, consumed one request at a time. */
export class FaultRegistry {
  #faults: Fault[] = [];

  add(fault: Fault): void {
    this.#faults.push({ ...fault });
  }

  list(): readonly Fault[] {
    return this.#faults.map((fault) => ({ ...fault }));
  }

  clear(): void {
    this.#faults = [];
  }

  get isEmpty(): boolean {
    return this.#faults.length === 0;
  }

  /** Takes one use of the first pending fault for `route`. */
  take(route: FaultRoute): Fault | undefined {
    const fault = this.#faults.find((candidate) => candidate.route === route);
    if (!fault) return undefined;
    fault.count -= 1;
    if (fault.count <= 0) this.#faults = this.#faults.filter((candidate) => candidate !== fault);
    return fault;
  }
}

/**
 * Applies pending faults to the routes whose config names a fault (`config.fault`, from the route
 * table), before their own hooks and handler. Must be called before any route is registered.
 */
export function registerFaultInjection(app: FastifyInstance, faults: FaultRegistry): void {
  // Synchronous when nothing is pending, which is every request but the few a test targets.
  const inject: onRequestHookHandler = (request, _reply, done) => {
    const route = faults.isEmpty ? undefined : request.routeOptions.config.fault;
    const fault = route && faults.take(route);
    if (!fault) {
      done();
      return;
    }
    const fails = fault.status !== undefined || fault.error !== undefined;
    sleep(fault.latencyMs ?? 0).then(
      () => done(fails ? new InjectedFault(fault) : undefined),
      done,
    );
  };
  app.addHook('onRoute', (route) => {
    if (route.config?.fault === undefined) return;
    route.onRequest = [inject, ...[route.onRequest ?? []].flat()];
  });
}
