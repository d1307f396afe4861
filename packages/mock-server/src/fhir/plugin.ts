import type { FastifyPluginAsync } from 'fastify';
import type { AccessTokenVerifier } from '../access.js';
import type { Clock } from '../clock.js';
import type { Dataset } from '../data/index.js';

/** What the FHIR plugin needs from the app that registers it (at prefix `/api/fhir/r4`). */
export interface FhirPluginOptions {
  dataset: Dataset;
  verifier: AccessTokenVerifier;
  clock: Clock;
  /** The origin to announce behind a proxy; `undefined` uses the request's own origin. */
  publicUrl: string | undefined;
}

/**
 * The read-only US Core R4 API of NextGen Office (HAPI FHIR 5.7.0), meant for the prefix
 * `/api/fhir/r4`.
 * @see https://hl7.org/fhir/R4/http.html
 */
export const fhirPlugin: FastifyPluginAsync<FhirPluginOptions> = async () => {};
