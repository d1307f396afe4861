import type { AccessGrant } from '../access.js';
import { assertInCompartments, boundToPatient, compartmentsFor } from './authorization.js';
import { AccessDeniedError, notFound, OperationOutcomeError } from './outcomes.js';
import { RESOURCE_DEFINITIONS, type ResourceDefinition } from './search-parameters.js';
import { parseElements, parseSummary, subsetFor, subsetResource } from './search/result.js';
import type { FhirStore, StoredResource } from './store.js';

/**
 * The definition of a resource type named in a URL; throws HAPI's 404 for a type the server does
 * not serve (names are case-sensitive: `condition` is not `Condition`).
 */
export function resourceDefinition(type: string): ResourceDefinition {
  const definition = RESOURCE_DEFINITIONS.get(type);
  if (!definition) {
    const known = [...RESOURCE_DEFINITIONS.keys()].sort().join(', ');
    throw new OperationOutcomeError(
      notFound(`Unknown resource type '${type}' - Server knows how to handle: [${known}]`),
    );
  }
  return definition;
}

/**
 * `GET {type}/{id}` under the token's grant. Order of checks: the scopes, the patient
 * compartments, then existence (404). A resource of a patient the token may not reach is refused
 * (401 as the Swagger documents, or HAPI's stock 403 with the quirk), never its data.
 * @see https://hl7.org/fhir/R4/http.html#read
 */
export function readResource(
  store: FhirStore,
  grant: AccessGrant,
  type: string,
  id: string,
): StoredResource {
  const definition = resourceDefinition(type);
  const key = `${type}/${id}`;
  if (definition.shared) {
    const stored = store.shared.get(key);
    if (!stored) throw new OperationOutcomeError(notFound(key));
    return stored;
  }
  // A service's grant reads the record that holds the resource, under the same rules.
  grant = boundToPatient(grant, store.ownerOf(key));
  const compartments = compartmentsFor(grant, definition, 'read');
  if (type === 'Patient') assertInCompartments(compartments, id);
  for (const { patient, restriction } of compartments) {
    const stored = store.record(patient)?.get(key);
    if (!stored) continue;
    if (restriction && !restriction(stored.resource)) {
      throw new AccessDeniedError('scope', `${key} is outside the granted scope restrictions`);
    }
    return stored;
  }
  // Another patient's resource is refused; one that exists nowhere is not found.
  const owner = store.ownerOf(key);
  if (owner !== undefined && store.record(owner)?.get(key) !== undefined) {
    throw new AccessDeniedError('compartment', `${key} is outside the patient compartment`);
  }
  throw new OperationOutcomeError(notFound(key));
}

/** `GET Person/{id}`: only the signed-in account itself (`resource` in the token response). */
export function readPerson(store: FhirStore, grant: AccessGrant, id: string): StoredResource {
  if (id !== grant.personId) {
    throw new AccessDeniedError('compartment', `Person/${id} is not the signed-in account`);
  }
  const stored = store.shared.get(`Person/${id}`);
  if (!stored) throw new OperationOutcomeError(notFound(`Person/${id}`));
  return stored;
}

/**
 * The JSON of a read as `_elements` or `_summary` (`true`, `text`, `data`) in the query ask for it,
 * tagged `SUBSETTED`; the stored JSON as is otherwise.
 * @see https://hl7.org/fhir/R4/search.html#elements
 */
export function readJson(stored: StoredResource, params: readonly [string, string][]): string {
  const elements = params.filter(([name]) => name === '_elements');
  const summaries = params.filter(([name]) => name === '_summary').map(([, value]) => value);
  if (elements.length === 0 && summaries.length === 0) return stored.json;
  const summary = parseSummary(summaries);
  const subset = subsetFor(
    elements.flatMap(([, value]) => parseElements(value) ?? []),
    summary,
  );
  return subset ? JSON.stringify(subsetResource(stored.resource, subset)) : stored.json;
}
