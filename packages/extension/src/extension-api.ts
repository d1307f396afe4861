/**
 * The slice of the WebExtension API this extension uses, as an interface: the service worker and
 * pages take it as a parameter, so unit tests pass an in-memory fake and only `browser.ts` touches
 * the real one.
 */

/** One `storage` area (`session` or `local`). */
export interface StorageAreaApi {
  get(keys: string | string[]): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
}

/** An event a listener can be added to (`onAlarm`, `onMessage`). */
export interface EventApi<Listener> {
  addListener(listener: Listener): void;
}

/** A named alarm as `alarms.onAlarm` reports it. */
export interface AlarmInfo {
  name: string;
}

/** A `runtime.onMessage` listener in the promise style: the returned promise is the reply. */
export type MessageListener = (message: unknown) => Promise<unknown> | undefined;

/** The APIs the extension uses, by namespace. */
export interface ExtensionApi {
  storage: { session: StorageAreaApi; local: StorageAreaApi };
  identity: {
    launchWebAuthFlow(details: { url: string; interactive?: boolean }): Promise<string>;
    getRedirectURL(path?: string): string;
  };
  alarms: {
    create(name: string, info: { when?: number; delayInMinutes?: number }): Promise<void>;
    clear(name: string): Promise<boolean>;
    onAlarm: EventApi<(alarm: AlarmInfo) => void>;
  };
  runtime: {
    sendMessage(message: unknown): Promise<unknown>;
    onMessage: EventApi<MessageListener>;
    getURL(path: string): string;
    openOptionsPage(): Promise<void>;
  };
  permissions: {
    contains(permissions: { origins: string[] }): Promise<boolean>;
    request(permissions: { origins: string[] }): Promise<boolean>;
  };
  tabs: { create(properties: { url: string }): Promise<unknown> };
}
