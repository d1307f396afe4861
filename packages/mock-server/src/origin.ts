import type { FastifyRequest } from 'fastify';

// The configured public URL's origin, parsed once: every request behind a proxy asks for it.
let parsed: { url: string; origin: string } | undefined;
function originOf(url: string): string {
  if (parsed?.url !== url) parsed = { url, origin: new URL(url).origin };
  return parsed.origin;
}

/**
 * The origin the mock announces in discovery documents, token `iss` and FHIR links: the configured
 * public URL when it runs behind a proxy, otherwise the origin the client used to reach it, so the
 * same process serves `localhost` and `127.0.0.1` callers with matching URLs.
 */
export function publicOrigin(request: FastifyRequest, publicUrl: string | undefined): string {
  if (publicUrl) return originOf(publicUrl);
  return `${request.protocol}://${request.host}`;
}
