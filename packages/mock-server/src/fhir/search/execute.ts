import type { ResourceIndex, StoredResource } from '../store.js';
import type { Criterion } from './criterion.js';
import type { Matcher } from './matcher.js';
import { splitOr, splitSystem } from './matcher.js';
import type { SearchQuery } from './query.js';
import { referenceValues } from './reference.js';

interface IndexLookup {
  keys: string[];
  /** The index answers the criterion exactly (no system to check afterwards). */
  exact: boolean;
}

// Plain token criteria (no modifier, every alternative naming a code) and reference criteria can
// be answered from the index's value tables.
function indexLookup(criterion: Criterion): IndexLookup | undefined {
  const { param, modifier, raw } = criterion;
  if (param.type === 'reference')
    return { keys: referenceValues(param, modifier, raw), exact: true };
  if (param.type !== 'token' || modifier !== undefined) return undefined;
  const tokens = splitOr(raw).map(splitSystem);
  if (tokens.some((token) => token.code === '')) return undefined;
  return {
    keys: tokens.map((token) => token.code),
    exact: tokens.every((token) => token.system === undefined),
  };
}

interface Plan {
  candidates: readonly StoredResource[];
  remaining: Criterion[];
}

// Starts from the smallest indexed candidate list and drops the criteria the index already
// answers, so the common `patient=&category=` search filters nothing at all.
function plan(query: SearchQuery, index: ResourceIndex): Plan {
  const type = query.definition.type;
  const all = index.ofType(type);
  const remaining: Criterion[] = [];
  let best: { list: readonly StoredResource[]; criterion: Criterion; exact: boolean } | undefined;
  for (const criterion of query.criteria) {
    const lookup = indexLookup(criterion);
    if (!lookup) {
      remaining.push(criterion);
      continue;
    }
    const lists = lookup.keys.map((key) => index.withValue(type, criterion.param, key));
    const found =
      lists.length === 1
        ? (lists[0] ?? [])
        : [...new Set(lists.flat())].sort((a, b) => a.ordinal - b.ordinal);
    // Every resource of the type qualifies: the criterion filters nothing.
    if (lookup.exact && found.length === all.length) continue;
    if (best === undefined || found.length < best.list.length) {
      if (best) remaining.push(best.criterion);
      best = { list: found, criterion, exact: lookup.exact };
    } else {
      remaining.push(criterion);
    }
  }
  if (best && !best.exact) remaining.push(best.criterion);
  return { candidates: best?.list ?? all, remaining };
}

/**
 * Every resource of the index that satisfies all criteria (AND of parameters, OR within one) and
 * the token's granular restriction, in the index's stable order.
 */
export function runSearch(
  query: SearchQuery,
  index: ResourceIndex,
  restriction: Matcher | undefined,
): readonly StoredResource[] {
  const { candidates, remaining } = plan(query, index);
  if (remaining.length === 0 && restriction === undefined) return candidates;
  return candidates.filter(
    (stored) =>
      (restriction === undefined || restriction(stored.resource)) &&
      remaining.every((criterion) => criterion.matches(stored.resource)),
  );
}
