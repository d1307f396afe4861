import { FhirClient } from '@patient-access/auth-core';
import type { ExtensionApi } from '../extension-api.js';
import { callWorker } from '../messages.js';
import type { WorkerHandlers } from '../worker.js';

/**
 * A FHIR client for a page, with its tokens from the service worker (which alone refreshes, so
 * the refresh stays single-flight across pages). The auth core's client asks for a token again
 * after a 401; the wrapped `fetch` notes which tokens were refused so that the worker refreshes
 * instead of handing the same one back.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 */
export function fhirClientFor(api: ExtensionApi, fhirBaseUrl: string): FhirClient {
  // Every token refused so far: sections load in parallel, and any of them may ask for a token
  // while another's refresh is still in flight.
  const rejected = new Set<string>();
  return new FhirClient({
    baseUrl: fhirBaseUrl,
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      if (response.status === 401) {
        const header = new Headers(init?.headers).get('authorization') ?? '';
        const token = /^Bearer (.+)$/.exec(header)?.[1];
        if (token) rejected.add(token);
      }
      return response;
    },
    accessToken: async () => {
      const grant = await callWorker<WorkerHandlers, 'accessToken'>(api, 'accessToken', {
        rejected: [...rejected],
      });
      return grant.accessToken;
    },
  });
}
