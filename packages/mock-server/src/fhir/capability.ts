import { readSpecFile } from '../spec-files.js';
import { LruCache } from '../lru-cache.js';

const CAPTURED = readSpecFile('nextgen-office-r4-capabilitystatement.json');

/** The hosts of NextGen's production servers, as they appear in the captured documents. */
export const NEXTGEN_IDENTITY_ORIGIN = 'https://idp-prod.prod.ngo.nextgenaws.net';
export const NEXTGEN_FHIR_ORIGIN = 'https://fhir.meditouchehr.com';

/**
 * The captured CapabilityStatement (HAPI FHIR 5.7.0) with NextGen's hosts replaced by the mock's
 * origin, `implementation.url` set to the mock's FHIR base; serialised once per origin.
 * @see https://hl7.org/fhir/R4/capabilitystatement.html
 */
export function capabilityStatementJson(origin: string, fhirBase: string): string {
  return cache.getOrCreate(`${origin} ${fhirBase}`, () => {
    const statement = JSON.parse(
      CAPTURED.replaceAll(NEXTGEN_IDENTITY_ORIGIN, origin).replaceAll(NEXTGEN_FHIR_ORIGIN, origin),
    ) as { implementation: { url: string } };
    statement.implementation.url = fhirBase;
    return JSON.stringify(statement);
  });
}

// Few: the origin comes from the client's Host header.
const cache = new LruCache<string, string>(16);
