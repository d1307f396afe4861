import { describe, expect, test } from 'vitest';
import { FaultRegistry, faultRouteOf } from './faults.js';

describe('faultRouteOf', () => {
  test('names the realm endpoints and the FHIR base', () => {
    expect(faultRouteOf('/auth/realms/nextgen/protocol/openid-connect/token')).toBe('token');
    expect(faultRouteOf('/auth/realms/nextgen/protocol/openid-connect/token/introspect')).toBe(
      'introspect',
    );
    expect(faultRouteOf('/auth/realms/nextgen/protocol/openid-connect/auth')).toBe('authorize');
    expect(faultRouteOf('/auth/realms/nextgen/login-actions/authenticate')).toBe('login');
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
