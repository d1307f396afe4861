import { describe, expect, test } from 'vitest';
import { FaultRegistry } from './faults.js';
import {
  FHIR_PATH,
  FHIR_ROUTES,
  IDENTITY_ROUTES,
  LANDING_ROUTES,
  REALM_PATH,
  type RouteSpec,
} from './routes.js';

const MOUNTED: ReadonlyArray<readonly [string, Readonly<Record<string, RouteSpec>>]> = [
  [REALM_PATH, IDENTITY_ROUTES],
  [FHIR_PATH, FHIR_ROUTES],
  ['', LANDING_ROUTES],
];

/** The fault name the route table gives the route Fastify reports as `routeUrl`. */
function faultRouteOf(routeUrl: string) {
  for (const [prefix, routes] of MOUNTED) {
    for (const spec of Object.values(routes)) {
      const pattern = `${prefix}${spec.path}`
        .replace(/[.?+^$|()[\]\\]/g, '\\$&')
        .replace(/:\w+/g, '[^/]+')
        .replace(/\*/g, '.*');
      if (new RegExp(`^${pattern}$`).test(routeUrl)) return spec.fault;
    }
  }
  return undefined;
}

describe('faultRouteOf', () => {
  test('names the realm endpoints and the FHIR base', () => {
    expect(faultRouteOf('/auth/realms/nextgen/protocol/openid-connect/token')).toBe('token');
    expect(faultRouteOf('/auth/realms/nextgen/protocol/openid-connect/token/introspect')).toBe(
      'introspect',
    );
    expect(faultRouteOf('/auth/realms/nextgen/protocol/openid-connect/auth')).toBe('authorize');
    expect(faultRouteOf('/auth/realms/nextgen/login-actions/authenticate')).toBe('login');
    expect(faultRouteOf('/auth/realms/nextgen/protocol/openid-connect/ext/par/request')).toBe(
      'par',
    );
    expect(faultRouteOf('/api/fhir/r4/Patient/:id')).toBe('fhir');
    expect(faultRouteOf('/')).toBeUndefined();
  });
});

describe('FaultRegistry', () => {
  test('consumes a fault after its count', () => {
    const faults = new FaultRegistry();
    faults.add({ route: 'token', count: 2, status: 500 });
    expect(faults.take('token')?.status).toBe(500);
    expect(faults.take('token')?.status).toBe(500);
    expect(faults.take('token')).toBeUndefined();
  });
});
