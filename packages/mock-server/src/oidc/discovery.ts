import type { RouteHandlerMethod } from 'fastify';
import { realmJwks } from './algorithm-keys.js';
import type { IdentityContext } from './context.js';
import { LruCache } from '../lru-cache.js';
import { publicOrigin } from '../origin.js';
import { readSpecFile, rewriteOrigin } from '../spec-files.js';

type Document = Record<string, unknown>;

let capturedText: string | undefined;
let captured: Document | undefined;

function capturedJson(): string {
  capturedText ??= JSON.stringify(capturedDocument());
  return capturedText;
}

function capturedDocument(): Document {
  captured ??= JSON.parse(readSpecFile('nextgen-office-openid-configuration.json')) as Document;
  return captured;
}

/** The realm's `scopes_supported`, as captured from the real server. */
export function supportedScopes(): string[] {
  return capturedDocument().scopes_supported as string[];
}

/** The realm's `id_token_signing_alg_values_supported`, as captured. */
export function idTokenSigningAlgorithms(): string[] {
  return capturedDocument().id_token_signing_alg_values_supported as string[];
}

/**
 * The captured document as JSON with the real server's origin replaced by `origin`: the same
 * keys, values and order as NextGen's, including what the mock answers only with Keycloak's
 * refusals (device flow, CIBA, PAR, mTLS, registration), since a client reads the same document
 * from both.
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata
 */
function discoveryJson(origin: string): string {
  return rewriteOrigin(capturedJson(), origin);
}

// The headers of the realm's public documents, set at once: Keycloak's, which lets clients
// revalidate rather than keep a stale key set.
const DOCUMENT_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-cache',
} as const;

/** `GET /.well-known/openid-configuration`. */
export function discoveryEndpoint(context: IdentityContext): RouteHandlerMethod {
  // Encoded once per origin: the document is 22 KB and the same for every caller of an origin,
  // and bytes go out without the UTF-8 pass (and the length pass) a string costs on every
  // request. Bounded, because the Host header is the caller's to choose.
  const encoded = new LruCache<string, Buffer>(32);
  return (request, reply) => {
    const origin = publicOrigin(request, context.config.publicUrl);
    const body = encoded.getOrCreate(origin, () => Buffer.from(discoveryJson(origin)));
    return reply.headers(DOCUMENT_HEADERS).send(body);
  };
}

/**
 * `GET /protocol/openid-connect/certs`: the JWKS, a key per signing algorithm.
 * @see https://www.rfc-editor.org/rfc/rfc7517#section-5
 */
export function certsEndpoint(context: IdentityContext): RouteHandlerMethod {
  let body: Buffer | undefined;
  return async (_request, reply) => {
    body ??= Buffer.from(JSON.stringify(await realmJwks(context)));
    return reply.headers(DOCUMENT_HEADERS).send(body);
  };
}
