import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GUIDE_USERS, loginOf } from '../../../../test-support/guide.js';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { parse } from 'node-html-parser';
import { createPkce, type Pkce, basicAuthorization } from '@patient-access/auth-core';
import {
  checkProperty,
  FUZZ_TIMEOUT_MS,
  expectHardenedHtml,
  expectOAuthError,
  expectOperationOutcome,
  hostileText,
  identityState,
  wellFormed,
} from './harness.js';
import type { AdjustableClock } from '../clock.js';
import {
  authorize,
  authorizeParams,
  CLIENT_ID,
  CLIENT_SECRET,
  CookieJar,
  formAction,
  OIDC,
  postForm,
  REDIRECT_URI,
  signIn,
  testApp,
  tokenRequest,
} from '../test-support/identity-flow.js';

const STEPS = [
  'authorize',
  'authorizeHostile',
  'loginRight',
  'loginWrong',
  'loginForged',
  'consent',
  'consentForeignPatient',
  'exchange',
  'exchangeWrongVerifier',
  'exchangeWrongRedirect',
  'exchangeForeignCode',
  'refresh',
  'refreshGarbage',
  'revoke',
  'read',
  'logout',
  'advanceClock',
] as const;
type Step = (typeof STEPS)[number];
const VALID_STEPS: readonly Step[] = [
  'authorize',
  'loginRight',
  'consent',
  'exchange',
  'refresh',
  'read',
];

/** What one simulated browser and app hold between steps. */
interface World {
  jar: CookieJar;
  pkce: Pkce;
  page?: LightMyRequestResponse;
  code?: string;
  /** The code was presented once: presenting it again is a replay, which revokes its grant. */
  codeSpent?: boolean;
  accessToken?: string;
  refreshToken?: string;
}

let app: FastifyInstance;
let clock: AdjustableClock;

beforeAll(async () => {
  ({ app, clock } = await testApp({ rateLimit: { loginPerMinute: 0, tokenPerMinute: 0 } }));
});
afterAll(() => app.close());

function formOf(world: World, id: string): string | undefined {
  return world.page?.body.includes(`id="${id}"`) ? formAction(world.page.body, id) : undefined;
}

/** A step that the server must refuse: protocol-shaped, and no session or token appears. */
async function refused(request: () => Promise<LightMyRequestResponse>) {
  const before = await identityState(app);
  const response = await request();
  expect(response.statusCode).toBeLessThan(500);
  expect(await identityState(app)).toBe(before);
  return response;
}

async function run(step: Step, world: World, hostile: string): Promise<void> {
  switch (step) {
    case 'authorize': {
      world.pkce = await createPkce();
      world.page = await authorize(app, authorizeParams(world.pkce), world.jar);
      world.jar.store(world.page);
      expect(world.page.statusCode).toBe(200);
      expectHardenedHtml(world.page);
      return;
    }
    case 'authorizeHostile': {
      const response = await refused(() =>
        authorize(app, authorizeParams(world.pkce, { scope: wellFormed(hostile) }), world.jar),
      );
      expect([200, 302]).toContain(response.statusCode);
      return;
    }
    case 'loginRight':
    case 'loginWrong': {
      const action = formOf(world, 'kc-form-login');
      if (!action) return;
      const password = step === 'loginRight' ? 'password' : wellFormed(hostile) || 'wrong';
      const response = await postForm(
        app,
        action,
        { username: GUIDE_USERS.david.username, password },
        world.jar,
      );
      expect(response.statusCode).toBe(200);
      expectHardenedHtml(response);
      world.page = response;
      return;
    }
    case 'loginForged': {
      const action = formOf(world, 'kc-form-login');
      if (!action) return;
      const forged = action.replace(/session_code=[^&]+/, 'session_code=forged');
      const response = await refused(() =>
        postForm(app, forged, loginOf(GUIDE_USERS.david), world.jar),
      );
      expectHardenedHtml(response);
      return;
    }
    case 'consent':
    case 'consentForeignPatient': {
      const action = formOf(world, 'kc-select-patient-form');
      if (!action) return;
      // Anna (428946523) is David's wife, not one of his dependents: not his to choose.
      const patient = step === 'consent' ? '428946492' : '428946523';
      // Every offered permission stays checked, as a patient who just clicks Allow leaves them.
      const scope = parse(world.page?.body ?? '')
        .querySelectorAll('input[name=scope]')
        .map((input) => input.getAttribute('value') ?? '');
      const send = () => postForm(app, action, { patient, scope, accept: 'yes' }, world.jar);
      if (step === 'consentForeignPatient') {
        const response = await refused(send);
        expectHardenedHtml(response);
        world.page = response;
        return;
      }
      const response = await send();
      expect(response.statusCode).toBe(302);
      const location = new URL(response.headers.location as string);
      expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
      world.code = location.searchParams.get('code') ?? undefined;
      world.codeSpent = false;
      world.page = undefined;
      return;
    }
    case 'exchange': {
      if (!world.code) return;
      const response = await tokenRequest(app, {
        grant_type: 'authorization_code',
        code: world.code,
        redirect_uri: REDIRECT_URI,
        code_verifier: world.pkce.verifier,
      });
      world.codeSpent = true;
      if (response.statusCode === 200) {
        const tokens = response.json<{ access_token: string; refresh_token: string }>();
        world.accessToken = tokens.access_token;
        world.refreshToken = tokens.refresh_token;
      } else {
        // A code used before, expired by the clock, or of an ended session.
        expectOAuthError(response);
        expect(response.json<{ error: string }>().error).toBe('invalid_grant');
      }
      return;
    }
    case 'exchangeWrongVerifier':
    case 'exchangeWrongRedirect':
    case 'exchangeForeignCode': {
      const wrong = await createPkce();
      const foreign = step === 'exchangeForeignCode';
      // A replayed code revokes what its first exchange issued (RFC 6749 §4.1.2): a state change
      // the spec demands, so only a first presentation must leave the state alone.
      const replay = !foreign && world.code !== undefined && world.codeSpent === true;
      const send = (request: () => Promise<LightMyRequestResponse>) =>
        replay ? request() : refused(request);
      const response = await send(() =>
        tokenRequest(app, {
          grant_type: 'authorization_code',
          code: foreign ? wellFormed(hostile) || 'x' : (world.code ?? 'x'),
          redirect_uri:
            step === 'exchangeWrongRedirect' ? 'https://oauth.pstmn.io/v1/other' : REDIRECT_URI,
          code_verifier: step === 'exchangeWrongVerifier' ? wrong.verifier : world.pkce.verifier,
        }),
      );
      expectOAuthError(response);
      // The code is spent by its first presentation, right or wrong (RFC 6749 §4.1.2).
      if (!foreign && world.code !== undefined) world.codeSpent = true;
      return;
    }
    case 'refresh': {
      if (!world.refreshToken) return;
      const response = await tokenRequest(app, {
        grant_type: 'refresh_token',
        refresh_token: world.refreshToken,
      });
      if (response.statusCode === 200) {
        const tokens = response.json<{ access_token: string; refresh_token: string }>();
        world.accessToken = tokens.access_token;
        world.refreshToken = tokens.refresh_token;
      } else {
        expectOAuthError(response);
        expect(response.json<{ error: string }>().error).toBe('invalid_grant');
        world.refreshToken = undefined;
      }
      return;
    }
    case 'refreshGarbage': {
      const response = await refused(() =>
        tokenRequest(app, { grant_type: 'refresh_token', refresh_token: wellFormed(hostile) }),
      );
      expectOAuthError(response);
      return;
    }
    case 'revoke': {
      if (!world.refreshToken) return;
      const response = await app.inject({
        method: 'POST',
        url: `${OIDC}/revoke`,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: basicAuthorization(CLIENT_ID, CLIENT_SECRET),
        },
        payload: new URLSearchParams({ token: world.refreshToken }).toString(),
      });
      expect(response.statusCode).toBe(200);
      world.refreshToken = undefined;
      return;
    }
    case 'read': {
      if (!world.accessToken) return;
      const response = await app.inject({
        method: 'GET',
        url: '/api/fhir/r4/Patient/428946492',
        headers: { authorization: `Bearer ${world.accessToken}` },
      });
      if (response.statusCode !== 200) {
        expect(response.statusCode).toBe(401);
        expectOperationOutcome(response);
      }
      return;
    }
    case 'logout': {
      const response = await app.inject({
        method: 'GET',
        url: `${OIDC}/logout`,
        headers: world.jar.header(),
      });
      world.jar.store(response);
      expect(response.statusCode).toBeLessThan(500);
      return;
    }
    case 'advanceClock': {
      clock.advance(61_000);
      return;
    }
  }
}

describe('random interleavings of valid and invalid steps of the flow', () => {
  test(
    'never fail the server, refuse without side effects, and leave sign-in working',
    async () => {
      // The valid steps weigh more, so that most runs get far enough into the flow to matter.
      const step = fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom<Step>(...VALID_STEPS) },
        { weight: 2, arbitrary: fc.constantFrom<Step>(...STEPS) },
      );
      const scenario = fc.array(fc.tuple(step, hostileText), {
        minLength: 1,
        maxLength: 30,
      });
      await checkProperty(
        fc.asyncProperty(scenario, async (steps) => {
          // Each run starts from a clean mock, so that a replayed seed meets the same state.
          await app.inject({ method: 'POST', url: '/__admin/reset' });
          const world: World = { jar: new CookieJar(), pkce: await createPkce() };
          for (const [step, hostile] of steps) await run(step, world, hostile);
          // Past any lockout the wrong passwords caused, a normal sign-in and read still work.
          clock.advance(61_000);
          const { tokens } = await signIn(app);
          const read = await app.inject({
            method: 'GET',
            url: '/api/fhir/r4/Patient/428946492',
            headers: { authorization: `Bearer ${tokens.access_token as string}` },
          });
          expect(read.statusCode).toBe(200);
        }),
        150,
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});
