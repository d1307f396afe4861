/**
 * The values at a dotted element path (`target.dueDate`), arrays flattened at every step, as
 * FHIRPath navigates them.
 * @see https://hl7.org/fhirpath/N1/#path-selection
 */
export function valuesAt(resource: object, path: string): unknown[] {
  let current: unknown[] = [resource];
  for (const step of path.split('.')) {
    const next: unknown[] = [];
    for (const item of current) {
      if (item === null || typeof item !== 'object') continue;
      const value = (item as Record<string, unknown>)[step];
      if (Array.isArray(value)) next.push(...(value as unknown[]));
      else if (value !== undefined && value !== null) next.push(value);
    }
    current = next;
  }
  return current;
}

/** The values at any of `paths`. */
export function valuesAtAny(resource: object, paths: readonly string[]): unknown[] {
  return paths.length === 1
    ? valuesAt(resource, paths[0] ?? '')
    : paths.flatMap((path) => valuesAt(resource, path));
}
