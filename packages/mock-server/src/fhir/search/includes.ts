import { badRequest, OperationOutcomeError } from '../outcomes.js';
import type { ResourceDefinition, SearchParameterDefinition } from '../search-parameters.js';
import type { ResourceIndex, StoredResource } from '../store.js';
import { valuesAtAny } from './path.js';
import { referenceKey } from './reference.js';

/** An `_include`: the reference parameters whose targets join the page. */
export interface IncludeRequest {
  params: SearchParameterDefinition[];
  /** `:Target` third part: only targets of this type. */
  targetType: string | undefined;
}

/** A `_revinclude`; the server offers only `Provenance:target`, as its CapabilityStatement says. */
export interface RevincludeRequest {
  type: 'Provenance';
}

/**
 * Parses `_include=Type:param[:Target]` or `_include=*` for a search over `definition.type`.
 * @see https://hl7.org/fhir/R4/search.html#include
 */
export function parseInclude(definition: ResourceDefinition, value: string): IncludeRequest {
  if (value === '*') return { params: [...definition.includes.values()], targetType: undefined };
  const [type, name, targetType] = value.split(':');
  const param = type === definition.type && name ? definition.includes.get(name) : undefined;
  if (
    !param ||
    (targetType !== undefined && param.target !== undefined && targetType !== param.target)
  ) {
    const offered = [...definition.includes.keys()]
      .map((each) => `${definition.type}:${each}`)
      .join(', ');
    throw new OperationOutcomeError(
      badRequest(
        `Invalid _include parameter value: "${value}". Valid values for this search are: [*, ${offered}]`,
        '_include',
      ),
    );
  }
  return { params: [param], targetType };
}

/**
 * Parses `_revinclude`; only `Provenance:target` is offered.
 * @see https://hl7.org/fhir/R4/search.html#revinclude
 */
export function parseRevinclude(value: string): RevincludeRequest {
  if (value !== 'Provenance:target' && value !== '*') {
    throw new OperationOutcomeError(
      badRequest(
        `Invalid _revinclude parameter value: "${value}". Valid values for this search are: [Provenance:target]`,
        '_revinclude',
      ),
    );
  }
  return { type: 'Provenance' };
}

/**
 * The resources the page's matches point to through the requested includes, found in the
 * patient's own record or among the shared resources, each once and never a match again.
 */
export function resolveIncludes(
  matches: readonly StoredResource[],
  includes: readonly IncludeRequest[],
  indexes: readonly ResourceIndex[],
): StoredResource[] {
  const seen = new Set(matches.map((match) => match.key));
  const found: StoredResource[] = [];
  for (const include of includes) {
    for (const match of matches) {
      for (const param of include.params) {
        for (const value of valuesAtAny(match.resource, param.paths)) {
          const key = referenceKey(value);
          if (!key || seen.has(key)) continue;
          if (include.targetType && !key.startsWith(`${include.targetType}/`)) continue;
          const target = indexes.map((index) => index.get(key)).find((each) => each !== undefined);
          if (!target) continue;
          seen.add(key);
          found.push(target);
        }
      }
    }
  }
  return found;
}

/** The Provenance resources targeting the page's matches, each once. */
export function resolveRevincludes(
  matches: readonly StoredResource[],
  index: ResourceIndex,
): StoredResource[] {
  const seen = new Set<string>();
  const found: StoredResource[] = [];
  for (const match of matches) {
    for (const provenance of index.provenanceOf(match.key)) {
      if (seen.has(provenance.key)) continue;
      seen.add(provenance.key);
      found.push(provenance);
    }
  }
  return found;
}
