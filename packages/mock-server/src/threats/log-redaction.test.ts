import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GUIDE_USERS } from '../../../../test-support/guide.js';
import type { FastifyInstance } from 'fastify';
import {
  CLIENT_SECRET,
  OIDC,
  obtainCode,
  postForm,
  signIn,
  testApp,
  tokenRequest,
} from '../test-support/identity-flow.js';

interface Destination {
  write(chunk: string): unknown;
}

let app: FastifyInstance;
const lines: string[] = [];

beforeAll(async () => {
  ({ app } = await testApp({ logLevel: 'trace' }));
  // Pino keeps its destination under a private symbol; capturing its writes sees exactly what
  // would reach stdout, request logs included (child loggers share the destination).
  const symbol = Object.getOwnPropertySymbols(app.log).find(
    (candidate) => candidate.description === 'pino.stream',
  );
  const destination = (app.log as unknown as Record<symbol, Destination | undefined>)[
    symbol as symbol
  ];
  if (!destination) throw new Error('The logger has no pino destination to capture.');
  destination.write = (chunk: string) => lines.push(chunk);
});
afterAll(() => app.close());

describe('logs at level trace', () => {
  test('never contain a password, code, verifier, token, secret or cookie', async () => {
    const wrong = await obtainCode(app).then(async (flow) => {
      // A failed login with a recognisable password, on a fresh authorize.
      const login = await app.inject({
        method: 'GET',
        url: `${OIDC}/auth?${new URLSearchParams(flow.params)}`,
      });
      const action = /action="([^"]+)"/.exec(login.body)?.[1]?.replaceAll('&amp;', '&') ?? '';
      await postForm(
        app,
        new URL(action).pathname + new URL(action).search,
        { username: GUIDE_USERS.david.username, password: 'Hunter2-wrong-password' },
        flow.jar,
      );
      return flow;
    });
    const { tokens, pkce, code, jar } = await signIn(app);
    const cookies = [...jar.cookies.values()];
    expect(cookies.length).toBeGreaterThan(0);
    const refresh = await tokenRequest(app, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token as string,
    });
    await app.inject({
      method: 'GET',
      url: `/api/fhir/r4/Patient/428946492?access_token=${tokens.access_token as string}`,
      headers: { authorization: `Bearer ${tokens.access_token as string}` },
    });
    await app.inject({
      method: 'GET',
      url: `${OIDC}/logout?id_token_hint=${tokens.id_token as string}`,
      headers: jar.header(),
    });
    // David's own password is the word "password", which log lines may contain as a word.
    const secrets = [
      'Hunter2-wrong-password',
      wrong.code,
      code,
      pkce.verifier,
      tokens.access_token as string,
      tokens.refresh_token as string,
      tokens.id_token as string,
      refresh.json<{ access_token: string }>().access_token,
      CLIENT_SECRET,
      Buffer.from(`yourHealthFile:${CLIENT_SECRET}`).toString('base64'),
      ...cookies,
    ];
    const log = lines.join('');
    // The request lines are there, with the sensitive values replaced.
    expect(log).toContain('/protocol/openid-connect/token');
    expect(log).toContain('session_code=%5Bredacted%5D');
    for (const secret of secrets) expect(log).not.toContain(secret);
  });
});
