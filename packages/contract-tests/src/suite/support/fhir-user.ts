/**
 * The type and id of a FHIR reference, relative (`Person/4007449`) or absolute
 * (`https://fhir.example/api/fhir/r4/Person/4007449`), as `fhirUser` may be either.
 * @see https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html#scopes-for-requesting-identity-data
 */
export function referenceParts(reference: string): { type: string; id: string } | undefined {
  const match = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(
    reference.trim(),
  );
  return match?.[1] && match[2] ? { type: match[1], id: match[2] } : undefined;
}
