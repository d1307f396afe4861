import type { FastifyInstance } from 'fastify';
import { matchesRedirectUri, type ClientRegistry } from './clients.js';

/** The back-channel endpoints a browser app may call from its own origin. */
const CORS_PATHS = [
  '/protocol/openid-connect/token',
  '/protocol/openid-connect/revoke',
  '/protocol/openid-connect/userinfo',
  '/protocol/openid-connect/token/introspect',
];

/**
 * Whether a browser at `origin` may read the realm's responses: Keycloak's "Web Origins: +",
 * the origins of the registered redirect URIs (wildcards included).
 * @see https://www.keycloak.org/docs/latest/server_admin/#_oidc_clients (Web origins)
 */
export function allowsOrigin(clients: ClientRegistry, origin: string): boolean {
  if (!URL.canParse(origin) || new URL(origin).origin !== origin) return false;
  return clients
    .all()
    .some(
      (client) =>
        matchesRedirectUri(client.redirectUris, `${origin}/`) ||
        client.redirectUris.some((uri) => URL.canParse(uri) && new URL(uri).origin === origin),
    );
}

/**
 * CORS for browser-based clients (single-page apps) on the token, revocation, userinfo and
 * introspection endpoints, with their preflights.
 * @see https://fetch.spec.whatwg.org/#http-cors-protocol
 */
export function registerCors(app: FastifyInstance, clients: ClientRegistry): void {
  app.addHook('onRequest', (request, reply, done) => {
    const origin = request.headers.origin;
    if (origin !== undefined && allowsOrigin(clients, origin)) {
      reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
    }
    done();
  });
  for (const path of CORS_PATHS) {
    app.options(path, async (_request, reply) =>
      reply
        .code(204)
        .header('access-control-allow-methods', 'GET, POST, OPTIONS')
        .header('access-control-allow-headers', 'authorization, content-type')
        .header('access-control-max-age', '600')
        .send(),
    );
  }
}
