import type {
  Bundle,
  OperationOutcome,
  OperationOutcomeIssue,
  Resource,
  ResourceType,
} from '@medplum/fhirtypes';
import { AuthCoreError, FhirError, InvalidArgumentError, ResponseInvalidError } from './errors.js';
import { assertEndpoint } from './oauth-call.js';
import type { TokenSession } from './token-session.js';
import { isJsonObject, parseJson, typedFetch, withDeadline } from './transport.js';

/** Options of a {@link FhirClient}: a base URL and where bearer tokens come from. */
export interface FhirClientOptions {
  baseUrl: string;
  /** The preferred token source: refreshed before expiry and once more after a 401. */
  session?: TokenSession;
  /**
   * A token source for callers without a session (a page whose tokens live in a service worker,
   * a token pasted into a tool). After a 401 it is called again with the refused token, so it can
   * refresh instead of handing the same one back.
   */
  accessToken?: (context: AccessTokenContext) => Promise<string>;
  fetch?: typeof fetch;
  /** Per request (default 10 s). */
  timeoutMs?: number;
}

/** What {@link FhirClientOptions.accessToken} is told: the token the server just refused, if any. */
export interface AccessTokenContext {
  rejected?: string;
}

type TokenSource = (context: AccessTokenContext) => Promise<string>;

/** Per-call options. */
export interface FhirRequestOptions {
  signal?: AbortSignal;
}

/** Options of {@link FhirClient.fetchDocument}. */
export interface FhirDocumentOptions extends FhirRequestOptions {
  /** The `Accept` header; by default any media type. */
  accept?: string;
  /** This request's deadline, when a document rendered on demand needs longer than a read. */
  timeoutMs?: number;
}

/** A document {@link FhirClient.fetchDocument} read: its body as text and its content type. */
export interface FhirDocument {
  text: string;
  /** The `Content-Type` header, `undefined` when the server sent none. */
  contentType: string | undefined;
}

/** Options of {@link FhirClient.searchAll} and {@link FhirClient.loadRecord}. */
export interface FhirPagingOptions extends FhirRequestOptions {
  /** Pages read per search before stopping (default {@link DEFAULT_MAX_PAGES}). */
  maxPages?: number;
}

/** Search parameters: repeated keys as arrays (`{ category: ['a', 'b'] }`). */
export type FhirSearchParams =
  URLSearchParams | Readonly<Record<string, string | number | boolean | readonly string[]>>;

/** How many pages {@link FhirClient.searchAll} follows by default. */
export const DEFAULT_MAX_PAGES = 20;

const FHIR_JSON = 'application/fhir+json';

interface FhirReply {
  status: number;
  headers: Headers;
  text: string;
}
const RESOURCE_TYPE = /^[A-Z][A-Za-z]{1,63}$/;
// FHIR R4 id: https://hl7.org/fhir/R4/datatypes.html#id
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

/**
 * A small FHIR R4 REST client with bearer auth from a {@link TokenSession}: one refresh and retry
 * after a 401, `OperationOutcome` errors as {@link FhirError} (`notAuthorized` when a 401 or 403
 * refuses the resource rather than the token), bounded paging.
 * @see https://hl7.org/fhir/R4/http.html
 * @see https://hl7.org/fhir/smart-app-launch/app-launch.html#access-fhir-api
 */
export class FhirClient {
  readonly baseUrl: string;
  readonly #options: FhirClientOptions;

  constructor(options: FhirClientOptions) {
    if (!options.session && !options.accessToken) {
      throw new InvalidArgumentError('A FhirClient needs a session or an accessToken function.');
    }
    this.baseUrl = assertEndpoint(options.baseUrl, 'The FHIR base URL').href.replace(/\/+$/, '');
    this.#options = options;
  }

  /**
   * Reads one resource: `GET [base]/[type]/[id]`.
   * @see https://hl7.org/fhir/R4/http.html#read
   */
  async read<T extends Resource = Resource>(
    type: string,
    id: string,
    options: FhirRequestOptions = {},
  ): Promise<T> {
    assertType(type);
    if (typeof id !== 'string' || !FHIR_ID.test(id)) {
      throw new InvalidArgumentError(`"${String(id)}" is not a FHIR id.`);
    }
    const resource = await this.#get(`${this.baseUrl}/${type}/${id}`, options);
    if (resource.resourceType !== type) {
      throw new ResponseInvalidError(`Expected a ${type}, got a ${resource.resourceType}.`);
    }
    return resource as T;
  }

  /**
   * Searches one type: `GET [base]/[type]?params`, returning the first page's Bundle.
   * @see https://hl7.org/fhir/R4/http.html#search
   */
  async search(
    type: string,
    params?: FhirSearchParams,
    options: FhirRequestOptions = {},
  ): Promise<Bundle> {
    assertType(type);
    const url = new URL(`${this.baseUrl}/${type}`);
    for (const [name, value] of entries(params)) url.searchParams.append(name, value);
    return this.#bundle(url.href, options);
  }

  /**
   * Every matching resource of a search, following `link[relation=next]` for at most `maxPages`
   * pages; next links leaving the FHIR base's origin are not followed (the bearer token stays home).
   * @see https://hl7.org/fhir/R4/http.html#paging
   */
  async searchAll(
    type: string,
    params?: FhirSearchParams,
    options: FhirPagingOptions = {},
  ): Promise<Resource[]> {
    const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
    if (!Number.isInteger(maxPages) || maxPages < 1) {
      throw new InvalidArgumentError('maxPages must be a positive integer.');
    }
    const resources: Resource[] = [];
    let page = await this.search(type, params, options);
    for (let read = 1; ; read++) {
      for (const entry of page.entry ?? []) {
        if (entry.resource && (entry.search?.mode ?? 'match') === 'match') {
          resources.push(entry.resource);
        }
      }
      const next = page.link?.find((link) => link.relation === 'next')?.url;
      if (read >= maxPages || next === undefined || !this.#sameOrigin(next)) return resources;
      page = await this.#bundle(next, options);
    }
  }

  /**
   * Loads a patient's record: `Patient/{id}` for `Patient`, a `patient={id}` search for every
   * other type. Each type's failure is isolated as a {@link FhirError}; aborting stops all.
   * @see https://hl7.org/fhir/us/core/STU3.1.1/CapabilityStatement-us-core-server.html
   */
  async loadRecord(
    patientId: string,
    types: readonly string[],
    options: FhirPagingOptions = {},
  ): Promise<Record<string, Resource[] | FhirError>> {
    const record: Record<string, Resource[] | FhirError> = {};
    await Promise.all(
      types.map(async (type) => {
        try {
          record[type] =
            type === 'Patient'
              ? [await this.read('Patient', patientId, options)]
              : await this.searchAll(type, { patient: patientId }, options);
        } catch (error) {
          if (options.signal?.aborted) throw error;
          record[type] = asFhirError(error, type);
        }
      }),
    );
    return record;
  }

  /**
   * GETs a non-FHIR document the FHIR server serves beside its base (NextGen's C-CDA at
   * `{origin}/api/ccda`) with the same bearer token, refresh-and-retry after a 401 and deadline as
   * reads, and returns its body as text. An error status throws the {@link FhirError} a read
   * would; a URL on another origin than the FHIR base's is refused, so the token never leaves it.
   * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
   */
  async fetchDocument(url: string | URL, options: FhirDocumentOptions = {}): Promise<FhirDocument> {
    const href = String(url);
    if (!this.#sameOrigin(href)) {
      throw new InvalidArgumentError(
        `"${href}" is not on the FHIR server's origin (${new URL(this.baseUrl).origin}), the only one the access token is sent to.`,
      );
    }
    const reply = await this.#authorized(href, options.accept ?? '*/*', options);
    if (!isOk(reply)) {
      // Not a FHIR endpoint: its error body may be plain text; only a JSON one holds an outcome.
      const json = /^application\/([\w.+-]+\+)?json\b/i.test(
        reply.headers.get('content-type') ?? '',
      );
      throw fhirError(reply, json ? jsonBody(reply, href) : undefined, href);
    }
    return { text: reply.text, contentType: reply.headers.get('content-type') ?? undefined };
  }

  async #bundle(url: string, options: FhirRequestOptions): Promise<Bundle> {
    const resource = await this.#get(url, options);
    if (resource.resourceType !== 'Bundle') {
      throw new ResponseInvalidError(`Expected a Bundle, got a ${resource.resourceType}.`);
    }
    return resource as Bundle;
  }

  async #get(url: string, options: FhirRequestOptions): Promise<Resource> {
    const reply = await this.#authorized(url, FHIR_JSON, options);
    const body = jsonBody(reply, url);
    if (!isOk(reply)) throw fhirError(reply, body, url);
    if (!isJsonObject(body) || typeof body.resourceType !== 'string') {
      throw new ResponseInvalidError(`${serverAt(url)} answered without a FHIR resource.`, {
        status: reply.status,
      });
    }
    return body as unknown as Resource;
  }

  // The one authorised request of every call: a bearer token, and one retry after a 401.
  async #authorized(
    url: string,
    accept: string,
    options: FhirRequestOptions & { timeoutMs?: number },
  ): Promise<FhirReply> {
    let token = await this.#token();
    let reply = await this.#send(url, accept, token, options);
    if (reply.status === 401) {
      const retryToken = await this.#retryToken(token);
      if (retryToken !== undefined) {
        token = retryToken;
        reply = await this.#send(url, accept, token, options);
      }
    }
    return reply;
  }

  async #token(): Promise<string> {
    const { session, accessToken } = this.#options;
    return session ? session.getAccessToken() : (accessToken as TokenSource)({});
  }

  // RFC 6750 §3.1: a 401 invalid_token may mean the token was revoked or expired early.
  async #retryToken(rejected: string): Promise<string | undefined> {
    const { session, accessToken } = this.#options;
    if (session) return (await session.refresh()).accessToken;
    const fresh = await (accessToken as TokenSource)({ rejected });
    return fresh === rejected ? undefined : fresh;
  }

  async #send(
    url: string,
    accept: string,
    token: string,
    options: FhirRequestOptions & { timeoutMs?: number },
  ): Promise<FhirReply> {
    const request = {
      signal: options.signal,
      timeoutMs: options.timeoutMs ?? this.#options.timeoutMs,
    };
    // The body is read under the same deadline as the headers: a stalled body is a timeout too.
    return withDeadline(request, async (signal) => {
      const response = await typedFetch(this.#options)(url, {
        headers: { accept, authorization: `Bearer ${token}` },
        signal,
      });
      return { status: response.status, headers: response.headers, text: await response.text() };
    });
  }

  #sameOrigin(url: string): boolean {
    return URL.canParse(url) && new URL(url).origin === new URL(this.baseUrl).origin;
  }
}

const isOk = (reply: FhirReply): boolean => reply.status >= 200 && reply.status < 300;

const serverAt = (url: string): string => `The FHIR server (${new URL(url).pathname})`;

// A body that must be JSON; an error with an empty body (a bare 401 from a gateway) has none but
// still has a status worth typing.
function jsonBody(reply: FhirReply, url: string): unknown {
  return !isOk(reply) && reply.text.trim() === ''
    ? undefined
    : parseJson(reply.text, reply, serverAt(url));
}

// The FhirError of an error status: the server's OperationOutcome, or one built from the status.
function fhirError(reply: FhirReply, body: unknown, url: string): FhirError {
  const generic = `${serverAt(url)} answered HTTP ${reply.status}.`;
  const fromServer = isJsonObject(body) && body.resourceType === 'OperationOutcome';
  const outcome = fromServer
    ? (body as unknown as OperationOutcome)
    : outcomeOf(issueCode(reply.status), generic);
  const first = outcome.issue?.[0];
  const message = first?.diagnostics ?? first?.details?.text;
  return new FhirError(message ?? generic, outcome, {
    status: reply.status,
    notAuthorized: isNotAuthorized(reply, message),
    outcomeFromServer: fromServer,
  });
}

function assertType(type: string): asserts type is ResourceType {
  if (typeof type !== 'string' || !RESOURCE_TYPE.test(type)) {
    throw new InvalidArgumentError(`"${String(type)}" is not a FHIR resource type.`);
  }
}

function* entries(params: FhirSearchParams | undefined): Generator<[string, string]> {
  if (params === undefined) return;
  if (params instanceof URLSearchParams) {
    yield* params.entries();
    return;
  }
  for (const [name, value] of Object.entries(params)) {
    if (Array.isArray(value)) for (const item of value as string[]) yield [name, item];
    else yield [name, String(value)];
  }
}

/** NextGen's diagnostics for a 401 that refuses the resource rather than the token. */
export const NOT_AUTHORIZED_DIAGNOSTICS = 'Resource not authorized to be viewed by this user';

// NextGen answers 401 both for a dead token and for a resource the token may not see. Only the
// first is cured by the refresh #get already tried: the second says so in its diagnostics or in
// an `insufficient_scope` challenge (RFC 6750 §3.1), the first in `invalid_token` or nothing.
function isNotAuthorized(reply: FhirReply, diagnostics: string | undefined): boolean {
  if (reply.status === 403) return true;
  if (reply.status !== 401) return false;
  const challenge = reply.headers.get('www-authenticate') ?? '';
  if (/\berror="?invalid_token/i.test(challenge)) return false;
  return (
    /\berror="?insufficient_scope/i.test(challenge) || diagnostics === NOT_AUTHORIZED_DIAGNOSTICS
  );
}

// https://hl7.org/fhir/R4/valueset-issue-type.html
function issueCode(status: number): OperationOutcomeIssue['code'] {
  if (status === 401) return 'login';
  if (status === 403) return 'forbidden';
  if (status === 404 || status === 410) return 'not-found';
  if (status === 429) return 'throttled';
  if (status >= 500) return 'transient';
  return 'processing';
}

function outcomeOf(code: OperationOutcomeIssue['code'], diagnostics: string): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics }] };
}

function asFhirError(error: unknown, type: string): FhirError {
  if (error instanceof FhirError) return error;
  const message = `Loading ${type} failed: ${error instanceof Error ? error.message : String(error)}`;
  const status = error instanceof AuthCoreError ? error.status : undefined;
  const code =
    error instanceof AuthCoreError && error.code === 'ERR_TIMEOUT'
      ? 'timeout'
      : error instanceof AuthCoreError && error.code === 'ERR_NETWORK'
        ? 'transient'
        : status !== undefined
          ? issueCode(status)
          : 'exception';
  return new FhirError(message, outcomeOf(code, message), { status, cause: error });
}
