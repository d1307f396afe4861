import type { OperationOutcome } from '@medplum/fhirtypes';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { InjectedFault } from '../faults.js';
import { badRequest, OperationOutcomeError, serverError, statusOf } from './outcomes.js';

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
 * A thrown {@link OperationOutcomeError} keeps its status and headers (`WWW-Authenticate`);
 * Fastify's own client errors (body too large, a URL the router refused) keep their 4xx status;
 * an injected fault its status; anything else is a 500 without internal detail.
 * @see https://hl7.org/fhir/R4/operationoutcome.html
 */
export function answerFhirError(
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
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
