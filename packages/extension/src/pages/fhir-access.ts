import { FhirClient } from '@patient-access/auth-core';
import type { ExtensionApi } from '../extension-api.js';
import { callWorker } from '../messages.js';
import type { WorkerHandlers } from '../worker.js';

/**
 * A FHIR client for a page, with its tokens from the service worker (which alone refreshes, so
 * the refresh stays single-flight across pages). After a 401 the auth core's client asks again
 * with the refused token, and the worker refreshes unless a parallel section already did.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 */
export function fhirClientFor(api: ExtensionApi, fhirBaseUrl: string): FhirClient {
  return new FhirClient({
    baseUrl: fhirBaseUrl,
    accessToken: async ({ rejected }) => {
      const grant = await callWorker<WorkerHandlers, 'accessToken'>(api, 'accessToken', {
        rejected: rejected === undefined ? [] : [rejected],
      });
      return grant.accessToken;
    },
  });
}
