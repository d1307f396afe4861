import type { onRequestHookHandler, RouteHandlerMethod } from 'fastify';
import { matchesRedirectUri, type Client, type ClientRegistry } from './clients.js';

/**
 * Whether a browser at `origin` may read the realm's responses: Keycloak's "Web Origins: +",
 * the origins of the registered redirect URIs (wildcards included).
 * @see https://www.keycloak.org/docs/latest/server_admin/#_oidc_clients (Web origins)
 */
export function allowsOrigin(clients: ClientRegistry, origin: string): boolean {
  return clients.all().some((client) => clientAllowsOrigin(client, origin));
}

/** Whether `origin` is one of `client`'s web origins ("+": those of its redirect URIs). */
export function clientAllowsOrigin(client: Client, origin: string): boolean {
  if (!URL.canParse(origin) || new URL(origin).origin !== origin) return false;
  return (
    matchesRedirectUri(client.redirectUris, `${origin}/`) ||
    client.redirectUris.some((uri) => URL.canParse(uri) && new URL(uri).origin === origin)
  );
}

/**
 * The route table's `web-origins` policy, for browser-based clients (single-page apps) on the
 * back-channel endpoints: an allowed `Origin` is reflected.
 * @see https://fetch.spec.whatwg.org/#http-cors-protocol
 */
export function allowWebOrigins(clients: ClientRegistry): onRequestHookHandler {
  return (request, reply, done) => {
    const origin = request.headers.origin;
    if (origin !== undefined && allowsOrigin(clients, origin)) {
      reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
    }
    done();
  };
}

/** The preflight of a `web-origins` route. */
export const answerWebOriginsPreflight: RouteHandlerMethod = async (_request, reply) =>
  reply
    .code(204)
    .header('access-control-allow-methods', 'GET, POST, OPTIONS')
    .header('access-control-allow-headers', 'authorization, content-type')
    .header('access-control-max-age', '600')
    .send();
