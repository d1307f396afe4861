import type { FastifyRequest } from 'fastify';

/**
 * The origin the mock announces in discovery documents, token `iss` and FHIR links: the configured
 * public URL when it runs behind a proxy, otherwise the origin the client used to reach it, so the
 * same process serves `localhost` and `127.0.0.1` callers with matching URLs.
 */
export function publicOrigin(request: FastifyRequest, publicUrl: string | undefined): string {
  if (publicUrl) return new URL(publicUrl).origin;
  return `${request.protocol}://${request.host}`;
}
