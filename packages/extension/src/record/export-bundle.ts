import type { Bundle, Resource } from '@medplum/fhirtypes';

/**
 * The whole record as one FHIR `collection` Bundle, each resource once, with its absolute URL
 * on the server as `fullUrl`.
 * @see https://hl7.org/fhir/R4/bundle.html#bundle-types
 */
export function recordBundle(
  resources: readonly Resource[],
  fhirBaseUrl: string,
  timestamp: Date,
): Bundle {
  const base = fhirBaseUrl.replace(/\/+$/, '');
  const seen = new Set<string>();
  const entry: NonNullable<Bundle['entry']> = [];
  for (const resource of resources) {
    const key = `${resource.resourceType}/${resource.id ?? ''}`;
    if (resource.id && seen.has(key)) continue;
    seen.add(key);
    entry.push({ ...(resource.id ? { fullUrl: `${base}/${key}` } : {}), resource });
  }
  return { resourceType: 'Bundle', type: 'collection', timestamp: timestamp.toISOString(), entry };
}
