import { readSpecFile, rewriteOrigin } from '../spec-files.js';
import { LruCache } from '../lru-cache.js';

const captured = JSON.stringify(
  JSON.parse(readSpecFile('nextgen-office-r4-smart-configuration.json')),
);

// Few: the origin comes from the client's Host header.
const cache = new LruCache<string, string>(16);

/**
 * The captured `.well-known/smart-configuration` with the real identity server's origin replaced
 * by `origin`: the same keys, values and order as NextGen's.
 * @see https://hl7.org/fhir/smart-app-launch/conformance.html#using-well-known
 */
export function smartConfigurationJson(origin: string): string {
  return cache.getOrCreate(origin, () => rewriteOrigin(captured, origin));
}
