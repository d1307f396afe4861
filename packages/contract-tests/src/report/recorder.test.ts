import { describe, expect, test } from 'vitest';
import { ReportRecorder, observeBody } from './recorder.js';

function jsonResponse(body: unknown, status: number, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

describe('observeBody', () => {
  test('keeps an OAuth error code and description but no other value', () => {
    const body = observeBody(
      JSON.stringify({ error: 'invalid_grant', error_description: 'Code not valid', x: 'y' }),
      'application/json',
    );
    expect(body).toEqual({
      kind: 'json',
      shape: { error: 'string', error_description: 'string', x: 'string' },
      error: { error: 'invalid_grant', error_description: 'Code not valid' },
    });
  });

  test('keeps the severity and code of each OperationOutcome issue', () => {
    const body = observeBody(
      JSON.stringify({
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'error', code: 'forbidden', diagnostics: 'Patient/1' }],
      }),
      'application/fhir+json;charset=utf-8',
    );
    expect(body).toMatchObject({ resourceType: 'OperationOutcome', issues: ['error/forbidden'] });
  });

  test('reduces HTML to its kind', () => {
    expect(observeBody('<html></html>', 'text/html')).toEqual({ kind: 'text' });
  });

  test('reports an empty body as empty', () => {
    expect(observeBody('', 'application/json')).toEqual({ kind: 'empty' });
  });
});

describe('ReportRecorder', () => {
  test('records method, path, query parameter names, status and the observed headers only', async () => {
    const recorder = new ReportRecorder('mock', async () =>
      jsonResponse({ access_token: 'eyJ.secret' }, 200, {
        'cache-control': 'no-store',
        'set-cookie': 'KEYCLOAK_SESSION=secret',
      }),
    );
    await recorder.fetch('token/exchange')('https://idp.test/token?code=abc&state=def', {
      method: 'POST',
    });
    expect(recorder.toReport().checks['token/exchange']?.exchanges).toEqual([
      {
        request: 'POST /token?code&state',
        status: 200,
        headers: { 'cache-control': 'no-store', 'content-type': 'application/json' },
        body: { kind: 'json', shape: { access_token: 'string' } },
      },
    ]);
  });

  test('never writes a token value into the report', async () => {
    const recorder = new ReportRecorder('mock', async () =>
      jsonResponse({ access_token: 'eyJ.secret', refresh_token: 'r.secret' }, 200),
    );
    await recorder.fetch('token')('https://idp.test/token', { method: 'POST' });
    expect(JSON.stringify(recorder.toReport())).not.toContain('secret');
  });

  test('orders parallel exchanges by when they started, not when they finished', async () => {
    const recorder = new ReportRecorder('mock', async (input) => {
      const slow = String(input).endsWith('/slow');
      await new Promise((resolve) => setTimeout(resolve, slow ? 20 : 0));
      return jsonResponse({}, slow ? 201 : 202);
    });
    const recordFetch = recorder.fetch('parallel');
    await Promise.all([recordFetch('https://x.test/slow'), recordFetch('https://x.test/fast')]);
    expect(recorder.toReport().checks.parallel?.exchanges.map((e) => e.request)).toEqual([
      'GET /slow',
      'GET /fast',
    ]);
  });

  test('merges facts noted for the same check', () => {
    const recorder = new ReportRecorder('mock');
    recorder.note('token/fields', { expires_in: 'number' });
    recorder.note('token/fields', { scope: 'string' });
    expect(recorder.toReport().checks['token/fields']?.facts).toEqual({
      expires_in: 'number',
      scope: 'string',
    });
  });
});
