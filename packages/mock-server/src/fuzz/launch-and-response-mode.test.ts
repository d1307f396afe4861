import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createPkce, type Pkce } from '@patient-access/auth-core';
import {
  checkProperty,
  expectHardenedHtml,
  expectOAuthError,
  FUZZ_TIMEOUT_MS,
  hostileText,
  send,
  wellFormed,
} from './harness.js';
import { authorizeParams, createLaunch, OIDC, testApp } from '../test-support/identity-flow.js';
import { RESPONSE_MODES } from '../oidc/response-mode.js';

const REDIRECT_HOST = /^(oauth\.pstmn\.io|[A-Za-z0-9-]+\.chromiumapp\.org|127\.0\.0\.1|localhost)$/;
const SCOPES = [
  'openid launch patient/Patient.read',
  'openid launch launch/encounter patient/Encounter.read',
  'openid launch/patient launch/encounter patient/*.read',
  'openid user/Patient.rs',
];

let app: FastifyInstance;
let pkce: Pkce;

beforeAll(async () => {
  ({ app } = await testApp());
  pkce = await createPkce();
});
afterAll(() => app.close());

const text = fc.oneof(hostileText, fc.string({ maxLength: 80 }));

describe('authorize with fuzzed launch and response_mode', () => {
  test(
    'redirects only to the registered URI, in a supported mode, or shows a hardened page',
    async () => {
      const request = fc.record({
        mode: fc.option(fc.oneof(fc.constantFrom(...RESPONSE_MODES), text), { freq: 4 }),
        launch: fc.option(fc.oneof(fc.constant('real'), text), { freq: 4 }),
        scope: fc.oneof(fc.constantFrom(...SCOPES), text),
      });
      await checkProperty(
        fc.asyncProperty(request, async ({ mode, launch, scope }) => {
          const launchValue =
            launch === 'real' ? await createLaunch(app, { patient: '428946492' }) : launch;
          const params = authorizeParams(pkce, {
            scope: wellFormed(scope),
            ...(mode === null ? {} : { response_mode: wellFormed(mode) }),
            ...(launchValue === null ? {} : { launch: wellFormed(launchValue) }),
          });
          const response = await send(app, {
            method: 'GET',
            url: `${OIDC}/auth?${new URLSearchParams(params).toString()}`,
            headers: {},
          });
          expect([200, 302, 400]).toContain(response.statusCode);
          if (response.statusCode === 302) {
            const location = new URL(response.headers.location as string);
            expect(location.hostname).toMatch(REDIRECT_HOST);
            const answer = new URLSearchParams(location.hash.slice(1) || location.search);
            expect(answer.has('error') || answer.has('response') || answer.has('code')).toBe(true);
          } else {
            expectHardenedHtml(response);
          }
        }),
        300,
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

describe('launch creation under fuzzed input', () => {
  test(
    'POST /__admin/launches answers 201 or a 400 in the OAuth error shape',
    async () => {
      const body = fc.oneof(
        fc.dictionary(
          fc.constantFrom('patient', 'encounter', 'user', 'other'),
          fc.oneof(text, fc.integer(), fc.constant(null)),
        ),
        text,
      );
      await checkProperty(
        fc.asyncProperty(body, async (payload) => {
          const response = await send(app, {
            method: 'POST',
            url: '/__admin/launches',
            headers: { 'content-type': 'application/json' },
            payload: JSON.stringify(payload),
          });
          if (response.statusCode === 201) {
            expect(response.json<{ launch: string }>().launch).toMatch(/^[\w-]{43}$/);
          } else {
            expectOAuthError(response);
          }
        }),
        300,
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  test(
    'POST /launcher answers a 303 to an http(s) URL or the page with its error',
    async () => {
      const form = fc.record({
        patient: fc.oneof(fc.constant('428946492'), text),
        encounter: fc.option(text),
        launch_url: fc.oneof(fc.constant('http://127.0.0.1:9/launch'), text),
      });
      await checkProperty(
        fc.asyncProperty(form, async (fields) => {
          const payload = new URLSearchParams(
            Object.entries(fields).flatMap(([name, value]) =>
              value === null ? [] : [[name, wellFormed(value)] as [string, string]],
            ),
          ).toString();
          const response = await send(app, {
            method: 'POST',
            url: '/launcher',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            payload,
          });
          expect([303, 400]).toContain(response.statusCode);
          if (response.statusCode === 303) {
            expect(new URL(response.headers.location as string).protocol).toMatch(/^https?:$/);
          } else {
            expectHardenedHtml(response);
          }
        }),
        300,
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});
