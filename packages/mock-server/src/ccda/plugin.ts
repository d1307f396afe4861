import { createHash } from 'node:crypto';
import type { Patient, Resource } from '@medplum/fhirtypes';
import { resourceAccess } from '@patient-access/auth-core';
import type { FastifyPluginAsync } from 'fastify';
import type { AccessGrant, AccessTokenVerifier } from '../access.js';
import type { Clock } from '../clock.js';
import type { Dataset } from '../data/index.js';
import {
  assertInCompartments,
  authenticate,
  compartmentsFor,
  canReadIncluded,
} from '../fhir/authorization.js';
import { answerPreflight, reflectOrigin } from '../fhir/cors.js';
import { answerFhirError } from '../fhir/errors.js';
import { badRequest, notFound, OperationOutcomeError } from '../fhir/outcomes.js';
import { RESOURCE_DEFINITIONS } from '../fhir/search-parameters.js';
import { LruCache } from '../lru-cache.js';
import { publicOrigin } from '../origin.js';
import { CCDA_ROUTES, routeOptions } from '../routes.js';
import { tokenRecipient } from '../urls.js';
import { parseDateCriteria, withinDates } from './date-filter.js';
import { renderCcda } from './render.js';

/** What the C-CDA plugin needs from the app that registers it (at prefix `/api`). */
export interface CcdaPluginOptions {
  dataset: Dataset;
  verifier: AccessTokenVerifier;
  clock: Clock;
  /**
   * What the data was generated from (the seed): a kept document is only reused for the data it
   * was rendered from.
   */
  datasetVersion: string;
  /** The origin the mock announces, when it differs from the request's (`--public-url`). */
  publicUrl?: string;
}

/** Documents kept rendered: ~0.5 MB each for the richest record, so ~16 MB at most. */
const CACHED_DOCUMENTS = 32;

/** The content type of the answer, as the Swagger file's `produces`. */
export const CCDA_CONTENT_TYPE = 'text/xml; charset=utf-8';

// Not clinical content: provenance stays on the FHIR side; Binary content enters through notes.
const LEFT_OUT = new Set(['Patient', 'Provenance', 'Binary']);

function queryValues(url: string, name: string): string[] {
  const at = url.indexOf('?');
  return at < 0 ? [] : new URLSearchParams(url.slice(at + 1)).getAll(name);
}

/** The `patient` parameter: required, once, a bare id or `Patient/<id>`. */
function patientParameter(url: string): string {
  const values = queryValues(url, 'patient');
  if (values.length === 0 || values[0] === '') {
    throw new OperationOutcomeError(
      badRequest('Missing required parameter "patient" for /ccda', 'patient'),
    );
  }
  if (values.length > 1) {
    throw new OperationOutcomeError(
      badRequest('Parameter "patient" may appear only once for /ccda', 'patient'),
    );
  }
  return (values[0] as string).replace(/^Patient\//, '');
}

/**
 * Whether the grant reads the whole record: every type of it allowed without a granular
 * restriction. Only then is the document the same for every token of the patient, and kept.
 */
function readsWholeRecord(grant: AccessGrant, record: readonly Resource[]): boolean {
  const types = new Set(record.map((resource) => resource.resourceType));
  return [...types].every((type) => {
    if (LEFT_OUT.has(type)) return true;
    if (RESOURCE_DEFINITIONS.get(type)?.shared === true) return true;
    const access = resourceAccess(grant.scopes, type, 'read');
    return access.allowed && access.restrictions.length === 0;
  });
}

/** The patient's clinical resources the grant may read (scopes and granular restrictions). */
function visibleResources(grant: AccessGrant, record: readonly Resource[]): Resource[] {
  const notes = resourceAccess(grant.scopes, 'DocumentReference', 'read').allowed;
  return record.filter((resource) => {
    if (resource.resourceType === 'Binary') return notes;
    if (LEFT_OUT.has(resource.resourceType)) return false;
    return canReadIncluded(grant, RESOURCE_DEFINITIONS.get(resource.resourceType), resource);
  });
}

// A stable document id (a UUID) per kept document, from its cache key.
function documentId(key: string): string {
  const hex = createHash('sha256').update(key).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * `GET /api/ccda?patient={id}[&date=…]`: the patient's C-CDA R2.1 Continuity of Care Document, as
 * the Swagger file documents it (`produces: text/xml`), with the FHIR reads' authorization: the
 * bearer token (401), the patient compartment and the scopes; errors as FHIR OperationOutcomes.
 */
export const ccdaPlugin: FastifyPluginAsync<CcdaPluginOptions> = async (app, options) => {
  // Kept encoded: a kept document is sent as it is, not re-encoded from a string per request.
  const documents = new LruCache<string, Buffer>(CACHED_DOCUMENTS);

  app.setErrorHandler(answerFhirError);
  app.route({ ...routeOptions(CCDA_ROUTES.preflight, [reflectOrigin]), handler: answerPreflight });

  app.route({
    ...routeOptions(CCDA_ROUTES.document, [reflectOrigin]),
    handler: async (request, reply) => {
      // The token must be this mock's, minted for its FHIR base: the C-CDA is served beside it.
      const grant = await authenticate(
        request,
        options.verifier,
        tokenRecipient(publicOrigin(request, options.publicUrl)),
      );
      const patientId = patientParameter(request.url);
      const dates = queryValues(request.url, 'date');
      const criteria = parseDateCriteria(dates);
      const patientDefinition = RESOURCE_DEFINITIONS.get('Patient');
      // The patients the token reaches with Patient read: its own, or its user's with user/ scopes.
      const compartments =
        patientDefinition === undefined ? [] : compartmentsFor(grant, patientDefinition, 'read');
      assertInCompartments(compartments, patientId);
      const record = options.dataset.record(patientId);
      const patient = record?.find(
        (resource): resource is Patient => resource.resourceType === 'Patient',
      );
      if (record === undefined || patient === undefined) {
        throw new OperationOutcomeError(notFound(`Patient/${patientId}`));
      }
      const key = JSON.stringify([patientId, [...dates].sort(), options.datasetVersion]);
      const render = () =>
        Buffer.from(
          renderCcda({
            patient,
            resources: visibleResources(grant, record).filter((resource) =>
              withinDates(resource, criteria),
            ),
            shared: options.dataset.shared,
            practiceId: options.dataset.practiceId,
            documentId: documentId(key),
            createdAt: new Date(options.clock.now()).toISOString(),
          }),
          'utf8',
        );
      const xml = readsWholeRecord(grant, record) ? documents.getOrCreate(key, render) : render();
      return reply.header('content-type', CCDA_CONTENT_TYPE).send(xml);
    },
  });
};
