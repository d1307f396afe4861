/** A cookie as `app.inject` parses it from `Set-Cookie`. */
interface ResponseCookie {
  name: string;
  value: string;
  maxAge?: number;
}

/** `name=value; Max-Age=…` of a `Set-Cookie` line. */
function parseSetCookie(line: string): ResponseCookie {
  const [pair = '', ...attributes] = line.split(';');
  const at = pair.indexOf('=');
  const maxAge = attributes
    .map((attribute) => /^\s*max-age=(-?\d+)\s*$/i.exec(attribute)?.[1])
    .find((value) => value !== undefined);
  return {
    name: pair.slice(0, at).trim(),
    value: pair.slice(at + 1).trim(),
    ...(maxAge === undefined ? {} : { maxAge: Number(maxAge) }),
  };
}

/**
 * A browser's cookies for one site, for tests that walk the sign-in screens: what a response
 * sets is sent back with the next request; a cookie set expired or empty is dropped. Paths are
 * not checked (the mock scopes every cookie to its realm).
 */
export class CookieJar {
  readonly cookies = new Map<string, string>();

  /** Keeps the cookies of an `app.inject` response or of a `fetch` Response. */
  store(response: { cookies: readonly ResponseCookie[] } | Response): void {
    const cookies =
      response instanceof Response
        ? response.headers.getSetCookie().map(parseSetCookie)
        : response.cookies;
    for (const cookie of cookies) {
      if (cookie.maxAge === 0 || cookie.value === '') this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
  }

  /** The `Cookie` header of the next request (none while the jar is empty). */
  header(): Record<string, string> {
    if (this.cookies.size === 0) return {};
    return { cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ') };
  }
}

/** The headers of a form post. */
export const FORM_HEADERS = { 'content-type': 'application/x-www-form-urlencoded' } as const;

/** A form-urlencoded body; an array repeats its name, as checked checkboxes do. */
export function formBody(fields: Readonly<Record<string, string | readonly string[]>>): string {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const item of [value].flat()) body.append(name, item);
  }
  return body.toString();
}
