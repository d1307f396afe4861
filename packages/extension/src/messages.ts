import { describeError, WorkerError, type ErrorInfo } from './error-text.js';
import type { ExtensionApi } from './extension-api.js';

export { WorkerError };

/**
 * A reply over `runtime` messaging. Error objects do not survive structured cloning, so failures
 * travel as a stable code and a sentence.
 * @see https://developer.chrome.com/docs/extensions/develop/concepts/messaging
 */
export type Reply<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/** A message to the service worker: the handler's name and its argument. */
export interface Message<Name extends string = string> {
  type: Name;
  payload?: unknown;
}

/** A map of named handlers; each takes the message payload and resolves to the reply value. */
export type HandlerMap = Record<string, (payload: never) => Promise<unknown>>;

function isMessage(value: unknown): value is Message {
  return typeof value === 'object' && value !== null && typeof (value as Message).type === 'string';
}

/**
 * Runs the handler a message names and wraps the outcome as a {@link Reply}. Unknown or malformed
 * messages get `ERR_UNKNOWN_MESSAGE`; a throwing handler gets {@link describeError}'s sentence.
 */
export async function dispatch(handlers: HandlerMap, message: unknown): Promise<Reply<unknown>> {
  if (!isMessage(message) || !Object.hasOwn(handlers, message.type)) {
    return {
      ok: false,
      error: {
        code: 'ERR_UNKNOWN_MESSAGE',
        message: 'The extension received a message it does not know.',
      },
    };
  }
  try {
    const handler = handlers[message.type] as (payload: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(message.payload) };
  } catch (error) {
    return { ok: false, error: describeError(error) };
  }
}

/**
 * Sends a message to the service worker's handler `type` and resolves to its value; a failure
 * reply rejects with a {@link WorkerError} carrying the code and sentence.
 */
export async function callWorker<Handlers extends HandlerMap, Name extends keyof Handlers & string>(
  api: ExtensionApi,
  type: Name,
  ...payload: Parameters<Handlers[Name]>
): Promise<Awaited<ReturnType<Handlers[Name]>>> {
  const reply = (await api.runtime.sendMessage({ type, payload: payload[0] })) as Reply<
    Awaited<ReturnType<Handlers[Name]>>
  >;
  if (!reply || typeof reply !== 'object' || !('ok' in reply)) {
    throw new WorkerError({
      code: 'ERR_NO_REPLY',
      message: 'The extension’s background worker did not answer.',
    });
  }
  if (!reply.ok) throw new WorkerError(reply.error);
  return reply.value;
}
