import type { ResourceIndex, StoredResource } from '../store.js';
import type { Criterion } from './criterion.js';
import type { Matcher } from './matcher.js';
import { splitOr, splitSystem } from './matcher.js';
import type { SearchQuery } from './query.js';

// A plain token criterion (no modifier, every alternative naming a code) can be answered from the
// index's code table, so the scan covers the resources holding that code, not the whole type.
function indexedCodes(criterion: Criterion): string[] | undefined {
  if (criterion.param.type !== 'token' || criterion.modifier !== undefined) return undefined;
  const codes = splitOr(criterion.raw).map((value) => splitSystem(value).code);
  return codes.every((code) => code !== '') ? codes : undefined;
}

function candidates(query: SearchQuery, index: ResourceIndex): readonly StoredResource[] {
  const type = query.definition.type;
  for (const criterion of query.criteria) {
    const codes = indexedCodes(criterion);
    if (!codes) continue;
    if (codes.length === 1) return index.withCode(type, criterion.param.paths, codes[0] ?? '');
    const union = new Set(
      codes.flatMap((code) => index.withCode(type, criterion.param.paths, code)),
    );
    return [...union].sort((a, b) => a.ordinal - b.ordinal);
  }
  return index.ofType(type);
}

/**
 * Every resource of the index that satisfies all criteria (AND of parameters, OR within one) and
 * the token's granular restriction, in the index's stable order.
 */
export function runSearch(
  query: SearchQuery,
  index: ResourceIndex,
  restriction: Matcher | undefined,
): StoredResource[] {
  return candidates(query, index).filter(
    (stored) =>
      (restriction === undefined || restriction(stored.resource)) &&
      query.criteria.every((criterion) => criterion.matches(stored.resource)),
  );
}
