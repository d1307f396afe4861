import { createServer } from 'node:net';
import { describe, expect, test } from 'vitest';
import { checkRealTarget } from './real-preflight.js';

const CREDENTIALS = {
  NGO_CLIENT_ID: 'my-app',
  NGO_CLIENT_SECRET: 's3cret',
  NGO_REDIRECT_URI: 'http://127.0.0.1:53682/callback',
  NGO_USERNAME: 'DavidFHIR',
  NGO_PASSWORD: 'password',
};

// A loopback port nobody listens on: connecting to it fails at once with ECONNREFUSED.
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 1;
}

describe('checkRealTarget', () => {
  test('runs nothing and exits 0, naming the missing variables, without credentials', async () => {
    const verdict = await checkRealTarget({ NGO_CLIENT_ID: 'my-app' });
    expect(verdict).toMatchObject({ run: false, exitCode: 0, stream: 'stdout' });
    expect(verdict.run === false && verdict.message).toContain(
      'Missing environment variables: NGO_CLIENT_SECRET, NGO_REDIRECT_URI, NGO_USERNAME, NGO_PASSWORD',
    );
  });

  test('fails with one line naming the network error when the server is unreachable', async () => {
    const port = await closedPort();
    const verdict = await checkRealTarget(
      { ...CREDENTIALS, NGO_ISSUER: `http://127.0.0.1:${port}/auth/realms/nextgen` },
      { timeoutMs: 5_000 },
    );
    expect(verdict).toMatchObject({ run: false, exitCode: 1, stream: 'stderr' });
    const message = verdict.run === false ? verdict.message : '';
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(
      /^Contract tests against the real server: network error: .*ECONNREFUSED/,
    );
  });

  test('fails when the discovery document answers an error status', async () => {
    const notFound: typeof fetch = async () => new Response('missing', { status: 404 });
    const verdict = await checkRealTarget(CREDENTIALS, { fetch: notFound });
    expect(verdict).toMatchObject({
      run: false,
      exitCode: 1,
      message:
        'Contract tests against the real server: network error: https://idp-prod.prod.ngo.nextgenaws.net/auth/realms/nextgen/.well-known/openid-configuration answered HTTP 404',
    });
  });

  test('lets the suite run when the identity provider answers', async () => {
    const ok: typeof fetch = async () => new Response('{}', { status: 200 });
    expect(await checkRealTarget(CREDENTIALS, { fetch: ok })).toEqual({ run: true });
  });
});
