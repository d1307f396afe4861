import type { Attachment, Resource } from '@medplum/fhirtypes';

/** Where a section gets its resources: the FHIR API, or a fake in tests. */
export interface RecordSource {
  /** Every match of a search, across pages. */
  search(resourceType: string, params: Record<string, string>): Promise<Resource[]>;
  read(resourceType: string, id: string): Promise<Resource>;
}

/** What item renderers may ask of the page around them. */
export interface SectionContext {
  /** Fetches a document's attachment (inline data or a Binary) and opens or saves it. */
  openAttachment(attachment: Attachment, mode: 'open' | 'download'): Promise<void>;
}

/**
 * One section of the record view: the resource type it is named after (its scope and test id),
 * how it loads, and how each entry renders.
 */
export interface SectionSpec {
  resourceType: string;
  title: string;
  /** Further resource types the section reads (a Medication behind a MedicationRequest). */
  alsoReads?: readonly string[];
  /** Loads every resource the section shows; the ones of `resourceType` are its entries. */
  load(source: RecordSource, patientId: string): Promise<Resource[]>;
  /** One element per entry, each carrying `data-testid="item-<resourceType>"`. */
  render(resources: Resource[], context: SectionContext): HTMLElement[];
  /** Content above the entries (trend charts), if any. */
  summary?(resources: Resource[]): HTMLElement | null;
}

/** The resources of one type among `resources`, narrowed. */
export function ofType<T extends Resource>(
  resources: Resource[],
  resourceType: T['resourceType'],
): T[] {
  return resources.filter((resource): resource is T => resource.resourceType === resourceType);
}
