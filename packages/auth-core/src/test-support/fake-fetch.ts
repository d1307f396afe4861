/** One request as the fake server saw it. */
export interface RecordedRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: string;
}

/** Answers one route; may inspect the request. */
export type Handler = (request: RecordedRequest) => Response | Promise<Response>;

/** A fake `fetch` that routes by `METHOD url-without-query` and records every request. */
export interface FakeFetch {
  fetch: typeof fetch;
  requests: RecordedRequest[];
  /** Requests to one route key, e.g. `POST https://idp.test/token`. */
  calls(route: string): RecordedRequest[];
}

/**
 * Builds a fake `fetch` over `routes`. An unknown route rejects like a network failure, so a test
 * that reaches it fails with a clear message. Honors `init.signal`.
 */
export function fakeFetch(routes: Record<string, Handler>): FakeFetch {
  const requests: RecordedRequest[] = [];
  const keyOf = (request: RecordedRequest): string =>
    `${request.method} ${request.url.origin}${request.url.pathname}`;
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(
      typeof input === 'string' ? input : input instanceof URL ? input : input.url,
    );
    const body = init?.body === undefined || init.body === null ? '' : String(init.body);
    const request: RecordedRequest = {
      method: (init?.method ?? 'GET').toUpperCase(),
      url,
      headers: new Headers(init?.headers),
      body,
    };
    requests.push(request);
    init?.signal?.throwIfAborted();
    const handler = routes[keyOf(request)];
    if (!handler) throw new TypeError(`fetch failed: no fake route for ${keyOf(request)}`);
    return handler(request);
  };
  return {
    fetch: fetchImpl as typeof fetch,
    requests,
    calls: (route) => requests.filter((request) => keyOf(request) === route),
  };
}

/** A JSON response with `status` (default 200). */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** A FHIR JSON response. */
export function fhirJson(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/fhir+json' },
  });
}

/** An HTML page, as a proxy answers when the upstream is down. */
export function html(status: number): Response {
  return new Response('<html><body><h1>502 Bad Gateway</h1></body></html>', {
    status,
    headers: { 'content-type': 'text/html' },
  });
}

/** The guide's token response, built from its documented fields and quirks. */
export function guideTokenResponse(
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    access_token: 'eyJhbGciOiJSUzI1NiJ9.access.sig',
    expires_in: 300,
    refresh_expires_in: 1800,
    refresh_token: 'eyJhbGciOiJIUzI1NiJ9.refresh.sig',
    token_type: 'Bearer',
    'not-before-policy': 1661487077,
    session_state: '7f1c9a3e-5b2d-4c8e-9f6a-1d2e3f4a5b6c',
    scope: 'openid fhirUser offline_access launch/patient patient/Patient.read',
    resource: 'Person/4007449',
    patient: ' 428946492',
    need_patient_banner: 'false',
    practice_id: '1673497',
    smart_style_url:
      ' https://fhir.meditouchehr.com/electronic/json/api/portalSmartStyleConfig.json ',
    client_type: 'STANDALONE',
    subscription_type: 'Indefinite',
    ...overrides,
  };
}
