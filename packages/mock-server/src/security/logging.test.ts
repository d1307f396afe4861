import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { describe, expect, test } from 'vitest';
import { RequestLineLog } from './logging.js';

describe('RequestLineLog', () => {
  test('logs one line per request with its method, redacted URL, status and time', async () => {
    const lines: Array<{ msg: string }> = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as { msg: string });
        done();
      },
    });
    const app = Fastify({ logger: { level: 'info', stream }, logController: new RequestLineLog() });
    app.get('/cb', async () => ({ ok: true }));
    await app.inject('/cb?code=s3cret&client_id=app');
    await app.close();
    const requestLines = lines.filter((line) => line.msg.startsWith('GET '));
    expect(requestLines).toHaveLength(1);
    expect(requestLines[0]!.msg).toMatch(
      /^GET \/cb\?code=%5Bredacted%5D&client_id=app 200 \(\d+\.\d ms\)$/,
    );
    expect(lines.some((line) => /incoming request|request completed/.test(line.msg))).toBe(false);
  });
});
