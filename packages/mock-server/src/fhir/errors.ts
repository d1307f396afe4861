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

/** How an answer's FHIR JSON leaves: as is, or (the FHIR plugin's) in the encoding asked for. */
export type FhirJsonSender<Sent = FastifyReply | Promise<FastifyReply>> = (
  request: FastifyRequest,
  reply: FastifyReply,
  json: string,
) => Sent;

const asIs: FhirJsonSender<FastifyReply> = (_request, reply, json) => reply.send(json);

/**
 * Sends `outcome` with the status its issue code maps to (or `status`) by `send`, which writes
 * FHIR JSON or the encoding the request asks for: the one way an `OperationOutcome` leaves.
 */
export function sendOutcome<Sent>(
  request: FastifyRequest,
  reply: FastifyReply,
  outcome: OperationOutcome,
  send: FhirJsonSender<Sent>,
  status = statusOf(outcome),
): Sent {
  return send(
    request,
    reply.code(status).header('content-type', FHIR_JSON),
    JSON.stringify(outcome),
  );
}

/**
 * The FHIR error handler for a set of quirks, sending by `send`: everything under the FHIR base
 * answers an `OperationOutcome`. An {@link AccessDeniedError} answers the Swagger's 401 "Resource
 * not authorized to be viewed by this user" with a Bearer challenge (with `hapi-forbidden-403`,
 * HAPI's stock 403 "Access denied by rule: …"); a thrown {@link OperationOutcomeError} keeps its
 * status and headers (`WWW-Authenticate`); Fastify's own client errors (body too large, a URL the
 * router refused) keep their 4xx status; an injected fault its status; anything else is a 500
 * without internal detail.
 * @see https://hl7.org/fhir/R4/operationoutcome.html
 */
export function fhirErrorHandler<Sent>(
  quirks: ReadonlySet<Quirk>,
  send: FhirJsonSender<Sent>,
): (error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => Sent {
  return (error, request, reply) => {
    const answer = (outcome: OperationOutcome, status?: number) =>
      sendOutcome(request, reply, outcome, send, status);
    if (error instanceof AccessDeniedError) {
      if (quirks.has('hapi-forbidden-403')) return answer(error.outcome, 403);
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
      return answer(notAuthorized(), 401);
    }
    if (error instanceof OperationOutcomeError) {
      reply.headers(error.headers);
      return answer(error.outcome);
    }
    if (error instanceof InjectedFault) return answer(serverError(), error.status);
    const status = 'statusCode' in error ? error.statusCode : undefined;
    if (status !== undefined && status >= 400 && status < 500) {
      return answer(badRequest(error.message), status);
    }
    request.log.error({ err: error }, 'FHIR request failed');
    return answer(serverError());
  };
}

/**
 * The error handler of the routes outside the FHIR plugin that answer FHIR (the C-CDA document,
 * the router's refusals under the FHIR base): an `OperationOutcome` as FHIR JSON, no quirks.
 */
export const answerFhirError = fhirErrorHandler(new Set(), asIs);
