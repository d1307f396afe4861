import { describe, expect, test } from 'vitest';
import { diffReports, formatDifferences } from './diff.js';
import { REPORT_FORMAT, type ContractReport, type ObservedExchange } from './report.js';

function report(
  target: string,
  exchanges: ObservedExchange[],
  facts?: Record<string, string>,
): ContractReport {
  return {
    format: REPORT_FORMAT,
    target,
    checks: { 'token/exchange': { exchanges, ...(facts ? { facts } : {}) } },
  };
}

const tokenExchange: ObservedExchange = {
  request: 'POST /auth/realms/nextgen/protocol/openid-connect/token',
  status: 200,
  headers: { 'cache-control': 'no-store', 'content-type': 'application/json' },
  body: { kind: 'json', shape: { access_token: 'string', need_patient_banner: 'string' } },
};

describe('diffReports', () => {
  test('finds no difference between equal reports', () => {
    expect(diffReports(report('mock', [tokenExchange]), report('real', [tokenExchange]))).toEqual(
      [],
    );
  });

  test('reports a field whose JSON type changed', () => {
    const b = {
      ...tokenExchange,
      body: {
        kind: 'json' as const,
        shape: { access_token: 'string', need_patient_banner: 'boolean' },
      },
    };
    expect(diffReports(report('mock', [tokenExchange]), report('real', [b]))).toEqual([
      {
        check: 'token/exchange',
        exchange: tokenExchange.request,
        aspect: 'field need_patient_banner',
        a: 'string',
        b: 'boolean',
      },
    ]);
  });

  test('reports a status and a header that differ', () => {
    const b = { ...tokenExchange, status: 400, headers: { 'content-type': 'application/json' } };
    expect(
      diffReports(report('mock', [tokenExchange]), report('real', [b])).map((d) => d.aspect),
    ).toEqual(['status', 'header cache-control']);
  });

  test('reports a check that only one report has', () => {
    const b: ContractReport = { format: REPORT_FORMAT, target: 'real', checks: {} };
    expect(diffReports(report('mock', [tokenExchange]), b)).toEqual([
      { check: 'token/exchange', aspect: 'check', a: 'present', b: undefined },
    ]);
  });

  test('matches a repeated request by its occurrence', () => {
    const second = { ...tokenExchange, status: 400 };
    const differences = diffReports(
      report('mock', [tokenExchange, second]),
      report('real', [tokenExchange]),
    );
    expect(differences).toEqual([
      {
        check: 'token/exchange',
        exchange: `${tokenExchange.request} #2`,
        aspect: 'exchange',
        a: 'HTTP 400',
        b: undefined,
      },
    ]);
  });

  test('reports a fact that differs', () => {
    const differences = diffReports(
      report('mock', [], { need_patient_banner: 'string' }),
      report('real', [], { need_patient_banner: 'boolean' }),
    );
    expect(differences).toEqual([
      {
        check: 'token/exchange',
        aspect: 'fact need_patient_banner',
        a: '"string"',
        b: '"boolean"',
      },
    ]);
  });
});

describe('formatDifferences', () => {
  test('prints one line per difference under its check and exchange', () => {
    const text = formatDifferences(
      [
        { check: 'c', exchange: 'GET /x', aspect: 'status', a: '200', b: '404' },
        { check: 'c', exchange: 'GET /x', aspect: 'field a', a: 'string', b: undefined },
        { check: 'c', exchange: 'GET /x', aspect: 'field b', a: undefined, b: 'number' },
      ],
      { a: 'mock.json', b: 'real.json' },
    );
    expect(text).toBe(
      [
        'Differences between A (mock.json) and B (real.json):',
        '',
        'c :: GET /x',
        '  ~ status: 200 → 404',
        '  - field a: string (only in A)',
        '  + field b: number (only in B)',
        '',
        '3 difference(s).',
        '',
      ].join('\n'),
    );
  });

  test('says so when there is no difference', () => {
    expect(formatDifferences([], { a: 'a.json', b: 'b.json' })).toBe(
      'No differences between a.json and b.json.\n',
    );
  });
});
