import type { CheckObservation, ContractReport, ObservedBody, ObservedExchange } from './report.js';

/** One difference between two reports; `a`/`b` are rendered values, `undefined` when absent. */
export interface ReportDifference {
  check: string;
  /** The exchange (`POST /…/token`, `#2` for a repeated request), absent for check-level facts. */
  exchange?: string;
  /** What differs: `check`, `exchange`, `status`, `header <name>`, `field <path>`, `error`, `issues`, `body`, `fact <name>`. */
  aspect: string;
  a: string | undefined;
  b: string | undefined;
}

function render(value: unknown): string | undefined {
  return value === undefined ? undefined : JSON.stringify(value);
}

function keyed(exchanges: readonly ObservedExchange[]): Map<string, ObservedExchange> {
  const seen = new Map<string, number>();
  const map = new Map<string, ObservedExchange>();
  for (const exchange of exchanges) {
    const count = (seen.get(exchange.request) ?? 0) + 1;
    seen.set(exchange.request, count);
    map.set(count === 1 ? exchange.request : `${exchange.request} #${count}`, exchange);
  }
  return map;
}

function unionKeys(a: object | undefined, b: object | undefined): string[] {
  return [...new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})])].sort();
}

function diffBodies(
  a: ObservedBody,
  b: ObservedBody,
  push: (aspect: string, a?: string, b?: string) => void,
): void {
  if (a.kind !== 'json' || b.kind !== 'json') {
    if (a.kind !== b.kind) push('body', a.kind, b.kind);
    return;
  }
  for (const path of unionKeys(a.shape, b.shape)) {
    const ta = a.shape[path];
    const tb = b.shape[path];
    if (ta !== tb) push(`field ${path}`, ta, tb);
  }
  if (render(a.error) !== render(b.error)) push('error', render(a.error), render(b.error));
  if (a.resourceType !== b.resourceType) push('resourceType', a.resourceType, b.resourceType);
  if (render(a.issues) !== render(b.issues)) push('issues', render(a.issues), render(b.issues));
}

function diffCheck(
  id: string,
  a: CheckObservation | undefined,
  b: CheckObservation | undefined,
): ReportDifference[] {
  const out: ReportDifference[] = [];
  if (!a || !b)
    return [
      { check: id, aspect: 'check', a: a ? 'present' : undefined, b: b ? 'present' : undefined },
    ];
  const ea = keyed(a.exchanges);
  const eb = keyed(b.exchanges);
  for (const request of [...new Set([...ea.keys(), ...eb.keys()])]) {
    const xa = ea.get(request);
    const xb = eb.get(request);
    const push = (aspect: string, va?: string, vb?: string) =>
      out.push({ check: id, exchange: request, aspect, a: va, b: vb });
    if (!xa || !xb) {
      push('exchange', xa ? `HTTP ${xa.status}` : undefined, xb ? `HTTP ${xb.status}` : undefined);
      continue;
    }
    if (xa.status !== xb.status) push('status', String(xa.status), String(xb.status));
    for (const name of unionKeys(xa.headers, xb.headers)) {
      const ha = xa.headers[name as keyof ObservedExchange['headers']];
      const hb = xb.headers[name as keyof ObservedExchange['headers']];
      if (ha !== hb) push(`header ${name}`, ha, hb);
    }
    diffBodies(xa.body, xb.body, push);
  }
  for (const name of unionKeys(a.facts, b.facts)) {
    const fa = render(a.facts?.[name]);
    const fb = render(b.facts?.[name]);
    if (fa !== fb) out.push({ check: id, aspect: `fact ${name}`, a: fa, b: fb });
  }
  return out;
}

/** Every difference between two reports, check by check, in a stable order. */
export function diffReports(a: ContractReport, b: ContractReport): ReportDifference[] {
  return unionKeys(a.checks, b.checks).flatMap((id) => diffCheck(id, a.checks[id], b.checks[id]));
}

/**
 * The differences as text for a terminal: one block per check and exchange, one line per
 * difference, `-` for what only A has, `+` for what only B has, `~` for a change A → B.
 */
export function formatDifferences(
  differences: readonly ReportDifference[],
  labels: { a: string; b: string },
): string {
  if (differences.length === 0) return `No differences between ${labels.a} and ${labels.b}.\n`;
  const lines = [`Differences between A (${labels.a}) and B (${labels.b}):`];
  let block = '';
  for (const difference of differences) {
    const heading = `${difference.check}${difference.exchange ? ` :: ${difference.exchange}` : ''}`;
    if (heading !== block) {
      lines.push('', heading);
      block = heading;
    }
    if (difference.b === undefined)
      lines.push(`  - ${difference.aspect}: ${difference.a} (only in A)`);
    else if (difference.a === undefined)
      lines.push(`  + ${difference.aspect}: ${difference.b} (only in B)`);
    else lines.push(`  ~ ${difference.aspect}: ${difference.a} → ${difference.b}`);
  }
  lines.push('', `${differences.length} difference(s).`);
  return `${lines.join('\n')}\n`;
}
