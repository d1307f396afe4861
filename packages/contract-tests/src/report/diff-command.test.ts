import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { contractDiffCommand } from './diff-command.js';
import { REPORT_FORMAT, serializeReport, type ContractReport } from './report.js';

let dir: string;
const exchange = {
  request: 'GET /api/fhir/r4/Patient/428946492',
  status: 200,
  headers: { 'content-type': 'application/fhir+json' },
  body: { kind: 'json' as const, shape: { id: 'string' } },
};
const mock: ContractReport = {
  format: REPORT_FORMAT,
  target: 'mock',
  checks: { read: { exchanges: [exchange] } },
};
const real: ContractReport = {
  format: REPORT_FORMAT,
  target: 'real',
  checks: { read: { exchanges: [{ ...exchange, status: 404 }] } },
};

function capture() {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: { stdout: (t: string) => (out.stdout += t), stderr: (t: string) => (out.stderr += t) },
  };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'contract-diff-'));
  await writeFile(join(dir, 'mock.json'), serializeReport(mock));
  await writeFile(join(dir, 'real.json'), serializeReport(real));
  await writeFile(join(dir, 'other.json'), '{"hello":1}');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('contractDiffCommand', () => {
  test('exits 1 and prints the status difference when the reports differ', async () => {
    const { out, io } = capture();
    expect(await contractDiffCommand([join(dir, 'mock.json'), join(dir, 'real.json')], io)).toBe(1);
    expect(out.stdout).toContain('  ~ status: 200 → 404');
  });

  test('exits 0 when a report is compared with itself', async () => {
    const { io } = capture();
    expect(await contractDiffCommand([join(dir, 'mock.json'), join(dir, 'mock.json')], io)).toBe(0);
  });

  test('exits 2 with a usage line when not given two files', async () => {
    const { out, io } = capture();
    expect(await contractDiffCommand([join(dir, 'mock.json')], io)).toBe(2);
    expect(out.stderr).toBe('usage: contract-diff <report-A.json> <report-B.json>\n');
  });

  test('exits 2 naming the file that is not a contract report', async () => {
    const { out, io } = capture();
    expect(await contractDiffCommand([join(dir, 'mock.json'), join(dir, 'other.json')], io)).toBe(
      2,
    );
    expect(out.stderr).toContain('other.json is not a contract report');
  });
});
