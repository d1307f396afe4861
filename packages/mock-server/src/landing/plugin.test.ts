import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testApp } from '../test-support/identity-flow.js';
import { curlWalkthrough } from './walkthrough.js';

let app: FastifyInstance;

beforeAll(async () => {
  ({ app } = await testApp());
});
afterAll(() => app.close());

describe('landing page', () => {
  test('lists endpoints, users and clients as self-contained HTML', async () => {
    const response = await app.inject('/');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain(
      'http://localhost:80/auth/realms/nextgen/protocol/openid-connect/token',
    );
    expect(response.body).toContain('DavidFHIR');
    expect(response.body).toContain('patient-access-extension');
    expect(response.body).not.toMatch(/<script|<link/);
  });

  test('lists client registration among the test controls', async () => {
    const response = await app.inject('/');
    expect(response.body).toContain('Client registration');
    expect(response.body).toContain('POST /__admin/clients');
    expect(response.body).toContain('DELETE /__admin/clients/{id}');
  });

  test('lists the EHR launcher', async () => {
    const response = await app.inject('/');
    expect(response.body).toContain('id="launcher-link" href="/launcher"');
  });

  test('lists the PAR endpoint and the session iframe the discovery advertises', async () => {
    const response = await app.inject('/');
    expect(response.body).toContain(
      'http://localhost:80/auth/realms/nextgen/protocol/openid-connect/ext/par/request',
    );
    expect(response.body).toContain(
      'http://localhost:80/auth/realms/nextgen/protocol/openid-connect/login-status-iframe.html',
    );
  });

  test('carries the curl walkthrough for this origin', async () => {
    const response = await app.inject('/');
    expect(response.body).toContain('ORIGIN=http://localhost:80');
    expect(curlWalkthrough('http://x')).toContain('grant_type=authorization_code');
  });

  test('serves the SMART style JSON', async () => {
    const response = await app.inject('/electronic/json/api/portalSmartStyleConfig.json');
    expect(response.statusCode).toBe(200);
    expect(response.json().color_highlight).toMatch(/^#/);
  });
});
