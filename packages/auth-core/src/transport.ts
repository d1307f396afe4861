import {
  AuthCoreError,
  NetworkError,
  RequestAbortedError,
  RequestTimeoutError,
  ResponseInvalidError,
} from './errors.js';

/**
 * Options every network call accepts: an injected `fetch` (tests, service workers), an injected
 * clock in epoch milliseconds, a caller `signal` and a `timeoutMs` (default 10 s).
 * @see https://fetch.spec.whatwg.org/#fetch-method
 */
export interface RequestOptions {
  fetch?: typeof fetch;
  clock?: () => number;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** The deadline of a network call when `timeoutMs` is not given. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/** The current time in epoch milliseconds from `options.clock`, else `Date.now()`. */
export function now(options: Pick<RequestOptions, 'clock'>): number {
  return options.clock ? options.clock() : Date.now();
}

/**
 * Runs `operation` with a signal that aborts when the caller's signal does or `timeoutMs` passes,
 * and settles as soon as either happens even if the underlying `fetch` ignores the signal.
 * Rejects with {@link RequestAbortedError} or {@link RequestTimeoutError}.
 * @see https://dom.spec.whatwg.org/#abortcontroller-api-integration
 */
export async function withDeadline<T>(
  options: Pick<RequestOptions, 'signal' | 'timeoutMs'>,
  operation: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const { signal } = options;
  if (signal?.aborted) {
    throw new RequestAbortedError('The request was aborted.', { cause: signal.reason });
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const controller = new AbortController();
  let stop: (reason: AuthCoreError) => void = () => undefined;
  const stopped = new Promise<never>((_, reject) => {
    stop = (reason) => {
      controller.abort(reason);
      reject(reason);
    };
  });
  const onAbort = (): void =>
    stop(new RequestAbortedError('The request was aborted.', { cause: signal?.reason }));
  signal?.addEventListener('abort', onAbort, { once: true });
  // setTimeout fires at once for delays past 2^31-1 ms, so an infinite deadline sets no timer.
  const timer = Number.isFinite(timeoutMs)
    ? setTimeout(
        () => stop(new RequestTimeoutError(`The request did not complete within ${timeoutMs} ms.`)),
        Math.min(Math.max(timeoutMs, 0), 2_147_483_647),
      )
    : undefined;
  try {
    return await Promise.race([operation(controller.signal), stopped]);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * `options.fetch` (or the global `fetch`) whose rejections become typed errors: the abort reason
 * when the signal fired, otherwise a {@link NetworkError}.
 * @see https://fetch.spec.whatwg.org/#fetch-method
 */
export function typedFetch(options: Pick<RequestOptions, 'fetch'>): typeof fetch {
  const impl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  return async (input, init) => {
    try {
      return await impl(input, init);
    } catch (cause) {
      const signal = init?.signal;
      if (signal?.aborted && signal.reason instanceof AuthCoreError) throw signal.reason;
      if (cause instanceof AuthCoreError) throw cause;
      throw new NetworkError(`The request to ${describe(input)} failed.`, { cause });
    }
  };
}

function describe(input: RequestInfo | URL): string {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  return parsed ? `${parsed.origin}${parsed.pathname}` : 'the server';
}

/**
 * Whether `url` points at this machine (127.0.0.0/8, `localhost`, `[::1]`), the only hosts where
 * plain `http` is acceptable: the mock runs there, and loopback traffic never leaves the device.
 * @see https://www.rfc-editor.org/rfc/rfc8252#section-8.3
 */
export function isLoopback(url: URL | string): boolean {
  const { hostname } = typeof url === 'string' ? new URL(url) : url;
  return (
    hostname === 'localhost' ||
    hostname === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}

/**
 * The JSON body of `response`, or a {@link ResponseInvalidError} naming the status and content
 * type when it is not JSON (an HTML error page from a proxy, an empty body).
 * @see https://www.rfc-editor.org/rfc/rfc8259
 */
export async function readJson(response: Response, what: string): Promise<unknown> {
  return parseJson(await response.text(), response, what);
}

/**
 * Parses a body already read as text; `response` supplies the status and content type for the
 * {@link ResponseInvalidError} thrown when the body is not JSON.
 * @see https://www.rfc-editor.org/rfc/rfc8259
 */
export function parseJson(
  text: string,
  response: Pick<Response, 'status' | 'headers'>,
  what: string,
): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    const type = response.headers.get('content-type') ?? 'no content type';
    throw new ResponseInvalidError(
      `${what} answered HTTP ${response.status} with a body that is not JSON (${type}).`,
      { status: response.status, cause },
    );
  }
}

/** Whether `value` is a plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
