import type { OperationOutcome } from '@medplum/fhirtypes';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { InjectedFault } from '../faults.js';
import { bearerChallenge } from '../bearer.js';
import type { Quirk } from '../config.js';
import {
  AccessDeniedError,
  badRequest,
  notAuthorized,
  OperationOutcomeError,
  serverError,
  statusOf,
} from './outcomes.js';

/** HAPI's content type for every FHIR answer, errors included. */
export const FHIR_JSON = 'application/fhir+json; charset=utf-8';

/** Sends `outcome` as FHIR JSON with the status its issue code maps to (or `status`). */
export function sendOutcome(
  reply: FastifyReply,
  outcome: OperationOutcome,
  status = statusOf(outcome),
): FastifyReply {
  return reply.code(status).header('content-type', FHIR_JSON).send(JSON.stringify(outcome));
}

/**
 * The FHIR plugin's error handler: everything under the FHIR base answers an `OperationOutcome`.
 * An {@link AccessDeniedError} answers the Swagger's 401 "Resource not authorized to be viewed by
 * this user" with a Bearer challenge; a thrown {@link OperationOutcomeError} keeps its status and
 * headers (`WWW-Authenticate`);
 * Fastify's own client errors (body too large, a URL the router refused) keep their 4xx status;
 * an injected fault its status; anything else is a 500 without internal detail.
 * @see https://hl7.org/fhir/R4/operationoutcome.html
 */
export function answerFhirError(
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  if (error instanceof AccessDeniedError) {
    // A token that was verified but does not reach the resource: `insufficient_scope` when its
    // scopes are the cause, so a client can tell it from an expired token (`invalid_token`).
    reply.header(
      'www-authenticate',
      bearerChallenge(
        error.reason === 'scope'
          ? { code: 'insufficient_scope', description: error.detail }
          : undefined,
      ),
    );
    return sendOutcome(reply, notAuthorized(), 401);
  }
  if (error instanceof OperationOutcomeError) {
    reply.headers(error.headers);
    return sendOutcome(reply, error.outcome);
  }
  if (error instanceof InjectedFault) return sendOutcome(reply, serverError(), error.status);
  const status = 'statusCode' in error ? error.statusCode : undefined;
  if (status !== undefined && status >= 400 && status < 500) {
    return sendOutcome(reply, badRequest(error.message), status);
  }
  request.log.error({ err: error }, 'FHIR request failed');
  return sendOutcome(reply, serverError());
}

/**
 * The FHIR plugin's error handler for a set of quirks: with `hapi-forbidden-403`, a refused
 * read or search answers HAPI's stock 403 ("Access denied by rule: …") instead of NextGen's 401.
 */
export function fhirErrorHandler(
  quirks: ReadonlySet<Quirk>,
): (error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => FastifyReply {
  if (!quirks.has('hapi-forbidden-403')) return answerFhirError;
  return (error, request, reply) =>
    error instanceof AccessDeniedError
      ? sendOutcome(reply, error.outcome, 403)
      : answerFhirError(error, request, reply);
}
