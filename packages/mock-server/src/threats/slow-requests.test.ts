import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startMockServer, type RunningMockServer } from '../server.js';
import { testApp } from '../test-support/identity-flow.js';

let server: RunningMockServer;
let port: number;

beforeAll(async () => {
  server = await startMockServer({ port: 0, host: '127.0.0.1', requestTimeout: 1_000 });
  port = new URL(server.url).port === '' ? 80 : Number(new URL(server.url).port);
});
afterAll(() => server.close());

/** Writes `chunks` to a raw socket (`delayMs` apart) and resolves to everything the server sent until it closed. */
function exchange(
  chunks: string[],
  delayMs = 0,
  giveUpMs = 10_000,
): Promise<{ text: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect({ host: '127.0.0.1', port });
    let text = '';
    let timer: NodeJS.Timeout | undefined;
    const giveUp = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open ${giveUpMs} ms`));
    }, giveUpMs);
    socket.setEncoding('latin1');
    socket.on('data', (data: string) => (text += data));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(giveUp);
      clearTimeout(timer);
      resolve({ text, ms: Date.now() - started });
    });
    const send = (index: number) => {
      if (index >= chunks.length || socket.destroyed) return;
      socket.write(chunks[index] ?? '');
      timer = setTimeout(() => send(index + 1), delayMs);
    };
    send(0);
  });
}

const bodyOf = (text: string) => JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as unknown;

describe('a request body that trickles in (slowloris)', () => {
  test('is cut at the request timeout with a 408 in the OAuth shape, not held open', async () => {
    const head =
      'POST /auth/realms/nextgen/protocol/openid-connect/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n';
    const { text, ms } = await exchange([head, ...Array(40).fill('a')], 250);
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(bodyOf(text)).toMatchObject({ error: 'temporarily_unavailable' });
    expect(ms).toBeLessThan(5_000);
  });

  test('is cut with a 408 OperationOutcome under the FHIR base', async () => {
    const head =
      'POST /api/fhir/r4/Condition/_search HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n';
    const { text } = await exchange([head, ...Array(40).fill('a')], 250);
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(text).toContain('application/fhir+json');
    expect(bodyOf(text)).toMatchObject({
      resourceType: 'OperationOutcome',
      issue: [{ code: 'timeout' }],
    });
  });
});

describe('the default timeouts', () => {
  test('give a request 30 s to arrive and close a connection silent for 90 s', async () => {
    const { app } = await testApp();
    expect(app.server.requestTimeout).toBe(30_000);
    expect(app.server.timeout).toBe(90_000);
    await app.close();
  });
});

describe('requests Node’s parser refuses', () => {
  test('answers a duplicate Content-Length under the FHIR base with a 400 OperationOutcome', async () => {
    const { text } = await exchange([
      'POST /api/fhir/r4/Condition/_search HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!',
    ]);
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    expect(bodyOf(text)).toMatchObject({
      resourceType: 'OperationOutcome',
      issue: [{ code: 'invalid' }],
    });
  });

  test('answers oversized headers at the token endpoint with a 431 OAuth error', async () => {
    const { text } = await exchange([
      `GET /auth/realms/nextgen/protocol/openid-connect/certs HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    ]);
    expect(text).toMatch(/^HTTP\/1\.1 431 /);
    expect(bodyOf(text)).toEqual({
      error: 'invalid_request',
      error_description: 'Request header fields too large',
    });
  });

  test('answers a body that is not JSON at the test controls with a 400 OAuth error', async () => {
    const response = await fetch(`${server.url}/__admin/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"advanceSeconds":',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_request' });
  });
});
