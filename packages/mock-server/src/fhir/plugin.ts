import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AccessTokenVerifier, TokenRecipient } from '../access.js';
import type { Clock } from '../clock.js';
import type { Dataset } from '../data/index.js';
import { LruCache } from '../lru-cache.js';
import { publicOrigin } from '../origin.js';
import type { Quirk } from '../config.js';
import { FHIR_ROUTES, routeOptions, type CorsPolicy, type RouteSpec } from '../routes.js';
import { tokenRecipient } from '../urls.js';
import { withGrant } from './authorization.js';
import { binaryContent, readBinary, wantsFhirResource } from './binary.js';
import { capabilityStatementJson } from './capability.js';
import { allowAnyOriginExposing, answerPreflight, reflectOrigin } from './cors.js';
import { FHIR_JSON, fhirErrorHandler } from './errors.js';
import { queryEntries, sendFhirJson } from './format.js';
import { badRequest, notAllowed, notFound, OperationOutcomeError } from './outcomes.js';
import { readJson, readPerson, readResource, resourceDefinition } from './read.js';
import { keptSearchPage, searchPage, type SearchContext } from './search.js';
import { decodePageState, parseOffset } from './search/paging.js';
import { parseCount } from './search/query.js';
import { smartConfigurationJson } from './smart-configuration.js';
import { FhirStore } from './store.js';
import type { Binary } from '@medplum/fhirtypes';

/**
 * The headers of an answer read with a bearer token: health data, never to be kept by a browser
 * cache or a proxy (RFC 9111 §5.2.2.5); HAPI leaves caching to the server that hosts it.
 * @see https://www.rfc-editor.org/rfc/rfc9111#section-5.2.2.5
 */
const PRIVATE_FHIR_JSON = { 'content-type': FHIR_JSON, 'cache-control': 'no-store' } as const;

/** What the FHIR plugin needs from the app that registers it (at prefix `/api/fhir/r4`). */
export interface FhirPluginOptions {
  dataset: Dataset;
  verifier: AccessTokenVerifier;
  clock: Clock;
  /** The origin to announce behind a proxy; `undefined` uses the request's own origin. */
  publicUrl: string | undefined;
  /** The quirks in force; the FHIR side reads `hapi-forbidden-403`. */
  quirks?: ReadonlySet<Quirk>;
}

interface TypeParams {
  type: string;
}
interface ResourceParams extends TypeParams {
  id: string;
}

// The CORS policies of the route table the FHIR routes use, as `onRequest` hooks.
const CORS = {
  public: [allowAnyOriginExposing],
  'any-origin': [reflectOrigin],
} as const satisfies Partial<Record<CorsPolicy, unknown>>;

const optionsOf = (spec: RouteSpec & { cors: keyof typeof CORS }) =>
  routeOptions(spec, CORS[spec.cors]);

// The path after the FHIR base, without its query: HAPI's `operation[...]`.
const operationOf = (url: string, prefix: string): string =>
  url.slice(prefix.length + 1).split('?')[0] ?? '';

/**
 * The read-only US Core R4 API of NextGen Office (HAPI FHIR 5.7.0): the routes of
 * {@link FHIR_ROUTES}, meant for the prefix `/api/fhir/r4`. Everything under the prefix answers
 * FHIR JSON, errors and unknown paths included.
 * @see https://hl7.org/fhir/R4/http.html
 */
export const fhirPlugin: FastifyPluginAsync<FhirPluginOptions> = async (app, options) => {
  const store = new FhirStore(options.dataset);
  const prefix = app.prefix;
  const originOf = (request: FastifyRequest): string => publicOrigin(request, options.publicUrl);
  // The realm and FHIR base at the origin that answers: a token must name both. Kept per `Host`
  // header (a few: the Host check bounds them, the cache too), so a cached read compares the
  // token's `iss` and `aud` with flat strings instead of building and flattening two. By the
  // header rather than by the origin made from it: the header is the string the Host check has
  // just looked up, whose hash V8 keeps, and the app speaks plain HTTP (behind a proxy, the
  // public URL's origin answers whatever the header).
  const recipients = new LruCache<string, TokenRecipient>(64);
  const recipientOf = (request: FastifyRequest): TokenRecipient =>
    recipients.getOrCreate(request.headers.host ?? '', () =>
      tokenRecipient(originOf(request), prefix),
    );

  // Every FHIR JSON answer goes through `sendFhirJson`, which answers FHIR XML when asked.
  const sendPrivate = (request: FastifyRequest, reply: FastifyReply, json: string) =>
    sendFhirJson(request, reply.headers(PRIVATE_FHIR_JSON), json);

  // `answer` in the request's search context, at once when its token was verified before.
  const inSearchContext = <T>(
    request: FastifyRequest,
    requestKey: string | undefined,
    answer: (context: SearchContext) => T,
  ): T | Promise<T> => {
    const recipient = recipientOf(request);
    return withGrant(request, options.verifier, recipient, (grant) =>
      answer({
        store,
        grant,
        // The token's audience is this very base.
        base: recipient.audience,
        now: options.clock.now(),
        requestKey,
      }),
    );
  };

  // Writes must reach their 405 whatever they carry, and `_search` takes a form body: one
  // string parser for every media type, interpreted by the routes.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    done(null, body);
  });

  app.setErrorHandler(fhirErrorHandler(options.quirks ?? new Set(), sendFhirJson));

  app.setNotFoundHandler({ preHandler: reflectOrigin }, (request) => {
    throw new OperationOutcomeError(
      notFound(
        `Invalid request: The FHIR endpoint on this server does not know how to handle ${request.method} operation[${operationOf(request.url, prefix)}]`,
      ),
    );
  });

  app.route({ ...optionsOf(FHIR_ROUTES.preflight), handler: answerPreflight });

  app.route({
    ...optionsOf(FHIR_ROUTES.metadata),
    handler: (request, reply) =>
      sendFhirJson(
        request,
        reply.header('content-type', FHIR_JSON),
        capabilityStatementJson(originOf(request), recipientOf(request).audience),
      ),
  });

  app.route({
    ...optionsOf(FHIR_ROUTES.smartConfiguration),
    handler: (request, reply) =>
      reply
        .header('content-type', 'application/json; charset=utf-8')
        .send(smartConfigurationJson(originOf(request))),
  });

  // HAPI's paging links: `{base}?_getpages=<id>&_getpagesoffset=<n>&_count=<n>&_bundletype=searchset`.
  app.route({
    ...optionsOf(FHIR_ROUTES.pages),
    handler: (request, reply) => {
      const params = new Map(queryEntries(request.url));
      const id = params.get('_getpages');
      if (id === undefined) {
        throw new OperationOutcomeError(
          badRequest(
            'This server does not support searching across all resource types: name a type, e.g. GET Patient?_id=...',
            '_getpages',
          ),
        );
      }
      const count = params.get('_count');
      return inSearchContext(request, undefined, (context) =>
        sendPrivate(
          request,
          reply,
          searchPage(
            context,
            decodePageState(id),
            parseOffset(params.get('_getpagesoffset')),
            `${context.base}${request.url.slice(prefix.length).replace(/^\/\?/, '?')}`,
            count === undefined ? undefined : parseCount(count),
          ),
        ),
      );
    },
  });

  app.route<{ Params: { id: string } }>({
    ...optionsOf(FHIR_ROUTES.person),
    handler: (request, reply) =>
      withGrant(request, options.verifier, recipientOf(request), (grant) =>
        sendPrivate(request, reply, readPerson(store, grant, request.params.id).json),
      ),
  });

  app.route<{ Params: { id: string } }>({
    ...optionsOf(FHIR_ROUTES.binary),
    handler: (request, reply) =>
      withGrant(request, options.verifier, recipientOf(request), (grant) => {
        const stored = readBinary(store, grant, request.params.id);
        const format = new Map(queryEntries(request.url)).get('_format');
        if (wantsFhirResource(request.headers.accept, format)) {
          return sendPrivate(request, reply, stored.json);
        }
        const { contentType, body } = binaryContent(stored.resource as Binary);
        return reply
          .header('content-type', contentType)
          .header('cache-control', 'no-store')
          .send(body);
      }),
  });

  app.route<{ Params: ResourceParams }>({
    ...optionsOf(FHIR_ROUTES.read),
    handler: (request, reply) =>
      withGrant(request, options.verifier, recipientOf(request), (grant) =>
        sendPrivate(
          request,
          reply,
          readJson(
            readResource(store, grant, request.params.type, request.params.id),
            queryEntries(request.url),
          ),
        ),
      ),
  });

  const search = (
    request: FastifyRequest<{ Params: TypeParams }>,
    reply: FastifyReply,
    readParams: () => [string, string][],
    requestKey: string,
  ) =>
    inSearchContext(request, requestKey, (context) => {
      const { type } = request.params;
      if (!resourceDefinition(type).searchable) {
        // HAPI finds no search method for the type: `RestfulServer.unknownMethod`, a 400.
        const names = [...new Set(readParams().map(([name]) => name))].join(', ');
        throw new OperationOutcomeError(
          badRequest(
            `Invalid request: The FHIR endpoint on this server does not know how to handle ${request.method} operation[${operationOf(request.url, prefix)}] with parameters [[${names}]]`,
          ),
        );
      }
      let page = keptSearchPage(context, type);
      if (page === undefined) {
        const params = readParams();
        const query = new URLSearchParams(params).toString();
        page = searchPage(
          context,
          { type, params },
          0,
          `${context.base}/${type}${query === '' ? '' : `?${query}`}`,
        );
      }
      return sendPrivate(request, reply, page);
    });

  app.route<{ Params: TypeParams }>({
    ...optionsOf(FHIR_ROUTES.search),
    handler: (request, reply) =>
      search(request, reply, () => queryEntries(request.url), `GET ${request.url}`),
  });

  app.route<{ Params: TypeParams }>({
    ...optionsOf(FHIR_ROUTES.searchPost),
    handler: (request, reply) => {
      const body = typeof request.body === 'string' ? request.body : '';
      const contentType = request.headers['content-type'] ?? '';
      if (
        body !== '' &&
        !contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')
      ) {
        throw new OperationOutcomeError(
          badRequest(
            'POST _search takes an application/x-www-form-urlencoded body',
            'Content-Type',
          ),
        );
      }
      return search(
        request,
        reply,
        () => [...queryEntries(request.url), ...new URLSearchParams(body)],
        `POST ${request.url}\n${body}`,
      );
    },
  });

  for (const spec of [FHIR_ROUTES.writeType, FHIR_ROUTES.writeInstance]) {
    app.route({
      ...optionsOf(spec),
      handler: (request) => {
        throw new OperationOutcomeError(
          notAllowed(request.method, operationOf(request.url, prefix)),
        );
      },
    });
  }
};
