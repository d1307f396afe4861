import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { serverError } from '../fhir/outcomes.js';
import { FHIR_PATH, REALM_PATH } from '../oidc/urls.js';

/** The endpoints a fault can target. */
export const FAULT_ROUTES = [
  'discovery',
  'certs',
  'authorize',
  'login',
  'token',
  'introspect',
  'revoke',
  'userinfo',
  'logout',
  'fhir',
] as const;

/** One of {@link FAULT_ROUTES}. */
export type FaultRoute = (typeof FAULT_ROUTES)[number];

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

const OIDC = `${REALM_PATH}/protocol/openid-connect/`;

/** The fault route of a matched route URL, if any. */
export function faultRouteOf(routeUrl: string | undefined): FaultRoute | undefined {
  if (!routeUrl) return undefined;
  if (routeUrl.startsWith(FHIR_PATH)) return 'fhir';
  if (routeUrl === `${REALM_PATH}/.well-known/openid-configuration`) return 'discovery';
  if (routeUrl.startsWith(`${REALM_PATH}/login-actions/`)) return 'login';
  const name = routeUrl.startsWith(OIDC) ? routeUrl.slice(OIDC.length) : undefined;
  const byPath: Record<string, FaultRoute> = {
    auth: 'authorize',
    token: 'token',
    'token/introspect': 'introspect',
    certs: 'certs',
    revoke: 'revoke',
    userinfo: 'userinfo',
    logout: 'logout',
  };
  return name === undefined ? undefined : byPath[name];
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

/** Applies pending faults before routing to the real handlers. */
export function registerFaultInjection(app: FastifyInstance, faults: FaultRegistry): void {
  const inject = async (reply: FastifyReply, route: FaultRoute, fault: Fault) => {
    if (fault.latencyMs) await sleep(fault.latencyMs);
    if (fault.status === undefined && fault.error === undefined) return;
    const status = fault.status ?? 503;
    if (route === 'fhir') {
      return reply.code(status).type('application/fhir+json').send(serverError());
    }
    return reply
      .code(status)
      .headers({ 'cache-control': 'no-store', pragma: 'no-cache' })
      .send({
        error: fault.error ?? (status >= 500 ? 'temporarily_unavailable' : 'invalid_request'),
        error_description: 'Fault injected by /__admin/faults',
      });
  };
  // Synchronous when nothing is pending, which is every request but the few a test targets.
  app.addHook('onRequest', (request, reply, done) => {
    if (faults.isEmpty) {
      done();
      return;
    }
    const route = faultRouteOf(request.routeOptions.url);
    const fault = route && faults.take(route);
    if (!fault) {
      done();
      return;
    }
    inject(reply, route, fault).then(() => {
      if (!reply.sent) done();
    }, done);
  });
}
