import { CookieJar } from 'tough-cookie';

/** One HTTP exchange the session made, without query strings, bodies or cookies (they carry codes). */
export interface BrowserStep {
  method: 'GET' | 'POST';
  /** Origin and path only. */
  url: string;
  status: number;
  contentType?: string;
  /** Origin and path of the `Location` header, for redirects. */
  location?: string;
}

/** A response as the session received it: status, headers, the final URL and the body text. */
export interface BrowserResponse {
  url: URL;
  status: number;
  headers: Headers;
  body: string;
}

/** Options of {@link BrowserSession}. */
export interface BrowserSessionOptions {
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

function withoutQuery(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/**
 * The part of a browser a sign-in needs: a cookie jar (Keycloak's `AUTH_SESSION_ID`,
 * `KC_RESTART` and SSO cookies) and one request at a time, redirects left to the caller so it can
 * stop at the client's redirect URI without ever requesting it.
 */
export class BrowserSession {
  readonly jar = new CookieJar(undefined, { allowSecureOnLocal: true });
  readonly steps: BrowserStep[] = [];
  readonly #fetch: typeof fetch;
  readonly #signal: AbortSignal | undefined;

  constructor(options: BrowserSessionOptions = {}) {
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#signal = options.signal;
  }

  /** Sends one request with the jar's cookies, stores the response's cookies, never follows a redirect. */
  async request(
    method: 'GET' | 'POST',
    url: URL,
    form?: Array<[string, string]>,
  ): Promise<BrowserResponse> {
    const headers = new Headers({ accept: 'text/html,application/xhtml+xml' });
    const cookie = await this.jar.getCookieString(url);
    if (cookie) headers.set('cookie', cookie);
    let body: URLSearchParams | undefined;
    if (form) {
      body = new URLSearchParams(form);
      headers.set('content-type', 'application/x-www-form-urlencoded');
    }
    const response = await this.#fetch(url, {
      method,
      headers,
      body,
      redirect: 'manual',
      ...(this.#signal ? { signal: this.#signal } : {}),
    });
    for (const setCookie of response.headers.getSetCookie()) {
      await this.jar.setCookie(setCookie, url, { ignoreError: true });
    }
    const location = response.headers.get('location');
    const contentType = response.headers.get('content-type');
    this.steps.push({
      method,
      url: withoutQuery(url),
      status: response.status,
      ...(contentType ? { contentType } : {}),
      ...(location ? { location: withoutQuery(new URL(location, url)) } : {}),
    });
    return { url, status: response.status, headers: response.headers, body: await response.text() };
  }
}
