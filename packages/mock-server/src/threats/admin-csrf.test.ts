import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { resolveConfig } from '../config.js';
import { LATEST_INSTANT_MS } from '../clock.js';
import { signIn, testApp } from '../test-support/identity-flow.js';

let app: FastifyInstance;

beforeAll(async () => {
  ({ app } = await testApp());
});
afterAll(() => app.close());

const clockOffset = async () =>
  (await app.inject({ method: 'GET', url: '/__admin/clock' })).json<{ offsetSeconds: number }>()
    .offsetSeconds;

const faultCount = async () =>
  (await app.inject({ method: 'GET', url: '/__admin/faults' })).json<{ faults: unknown[] }>().faults
    .length;

describe('/__admin against a page of another origin', () => {
  test('refuses a cross-origin form post that moves the clock, and the clock stays', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/__admin/clock',
      headers: {
        origin: 'http://evil.example',
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: 'advanceSeconds=3600',
    });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ error: 'access_denied' });
    expect(await clockOffset()).toBe(0);
  });

  test('refuses a cross-origin text/plain reset, even with a JSON-looking body', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/__admin/reset',
      headers: { origin: 'http://evil.example', 'content-type': 'text/plain' },
      payload: '{}',
    });
    expect(response.statusCode).toBe(403);
  });

  test('refuses a cross-origin fault injection sent as JSON', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/__admin/faults',
      headers: { origin: 'null', 'content-type': 'application/json' },
      payload: { route: 'token', count: 1_000_000, latencyMs: 60_000 },
    });
    expect(response.statusCode).toBe(403);
    expect(await faultCount()).toBe(0);
  });

  test('answers a same-origin form post with 415 and changes nothing', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/__admin/faults',
      headers: {
        origin: 'http://localhost:80',
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: 'route=token&count=5',
    });
    expect(response.statusCode).toBe(415);
    expect(response.json()).toMatchObject({ error: 'invalid_request' });
    expect(await faultCount()).toBe(0);
  });

  test('answers a text/plain clock move with 415', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/__admin/clock',
      headers: { 'content-type': 'text/plain' },
      payload: '{"advanceSeconds":3600}',
    });
    expect(response.statusCode).toBe(415);
    expect(await clockOffset()).toBe(0);
  });

  test('accepts JSON from its own origin and from tools that send no Origin', async () => {
    const own = await app.inject({
      method: 'POST',
      url: '/__admin/clock',
      headers: { origin: 'http://localhost:80' },
      payload: { advanceSeconds: 1 },
    });
    expect(own.statusCode).toBe(200);
    const tool = await app.inject({ method: 'POST', url: '/__admin/reset' });
    expect(tool.statusCode).toBe(200);
  });
});

describe('/__admin/clock at the end of time', () => {
  test('refuses with 400 a move past what a Date holds, and reads still answer sensibly', async () => {
    const { app: own, clock } = await testApp();
    try {
      const accessToken = (await signIn(own)).tokens.access_token as string;
      // Within a day of the limit, by the clock's own method (thousands of posts otherwise).
      clock.advance(LATEST_INSTANT_MS - clock.now() - 40 * 24 * 3600 * 1000);
      const response = await own.inject({
        method: 'POST',
        url: '/__admin/clock',
        payload: { advanceSeconds: 30 * 24 * 3600 },
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ error: 'invalid_request' });
      const now = await own.inject({ method: 'GET', url: '/__admin/clock' });
      expect(now.statusCode).toBe(200);
      const read = await own.inject({
        method: 'GET',
        url: '/api/fhir/r4/Patient',
        headers: { authorization: `Bearer ${accessToken}` },
      });
      expect(read.statusCode).toBe(401);
      expect(read.json().issue[0].diagnostics).toContain('(expired)');
    } finally {
      await own.close();
    }
  });
});

describe('/__admin off loopback', () => {
  test('is off when the mock binds to every interface without --admin', () => {
    expect(resolveConfig({ host: '0.0.0.0' }).admin).toBe(false);
    expect(resolveConfig({ host: '192.168.1.20' }).admin).toBe(false);
  });

  test('is on for loopback binds, and off the network only when asked', () => {
    expect(resolveConfig({ host: '127.0.0.1' }).admin).toBe(true);
    expect(resolveConfig({ host: 'localhost' }).admin).toBe(true);
    expect(resolveConfig({ host: '0.0.0.0', admin: true }).admin).toBe(true);
  });

  test('answers 404 on every test control of an exposed mock', async () => {
    const exposed = (await testApp({ host: '0.0.0.0' })).app;
    const response = await exposed.inject({ method: 'POST', url: '/__admin/reset' });
    expect(response.statusCode).toBe(404);
    await exposed.close();
  });
});
