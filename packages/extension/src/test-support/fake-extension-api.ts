import type {
  AlarmInfo,
  EventApi,
  ExtensionApi,
  MessageListener,
  StorageAreaApi,
} from '../extension-api.js';

/** An in-memory `storage` area; values are cloned as Chrome's structured storage does. */
export class FakeStorageArea implements StorageAreaApi {
  readonly data = new Map<string, unknown>();

  async get(keys: string | string[]): Promise<Record<string, unknown>> {
    const result: Record<string, unknown> = {};
    for (const key of typeof keys === 'string' ? [keys] : keys) {
      if (this.data.has(key)) result[key] = structuredClone(this.data.get(key));
    }
    return result;
  }

  async set(items: Record<string, unknown>): Promise<void> {
    for (const [key, value] of Object.entries(items)) this.data.set(key, structuredClone(value));
  }

  async remove(keys: string | string[]): Promise<void> {
    for (const key of typeof keys === 'string' ? [keys] : keys) this.data.delete(key);
  }
}

class FakeEvent<Listener> implements EventApi<Listener> {
  readonly listeners: Listener[] = [];

  addListener(listener: Listener): void {
    this.listeners.push(listener);
  }
}

/** What the fake auth window does with a launched URL: return the final redirect, or throw. */
export type WebAuthFlowHandler = (url: string) => Promise<string>;

/** An in-memory stand-in for the WebExtension APIs, with hooks to drive identity and alarms. */
export class FakeExtensionApi implements ExtensionApi {
  readonly extensionId = 'bffbaicccggaljnamlkcofgcdnhpconj';
  readonly alarmsCreated = new Map<string, { when?: number; delayInMinutes?: number }>();
  readonly launchedUrls: string[] = [];
  readonly openedTabs: string[] = [];
  readonly grantedOrigins = new Set<string>();
  /** The origins of each `permissions.request` call, in order. */
  readonly permissionRequests: string[][] = [];
  webAuthFlow: WebAuthFlowHandler = () =>
    Promise.reject(new Error('The user did not approve access.'));

  private readonly onAlarmEvent = new FakeEvent<(alarm: AlarmInfo) => void>();
  private readonly onMessageEvent = new FakeEvent<MessageListener>();

  readonly storage = { session: new FakeStorageArea(), local: new FakeStorageArea() };

  readonly identity = {
    launchWebAuthFlow: async (details: { url: string }): Promise<string> => {
      this.launchedUrls.push(details.url);
      return this.webAuthFlow(details.url);
    },
    getRedirectURL: (path = ''): string => `https://${this.extensionId}.chromiumapp.org/${path}`,
  };

  readonly alarms = {
    create: async (name: string, info: { when?: number; delayInMinutes?: number }) => {
      this.alarmsCreated.set(name, info);
    },
    clear: async (name: string) => this.alarmsCreated.delete(name),
    onAlarm: this.onAlarmEvent,
  };

  readonly runtime = {
    sendMessage: async (message: unknown): Promise<unknown> => {
      for (const listener of this.onMessageEvent.listeners) {
        const reply = listener(structuredClone(message));
        if (reply) return structuredClone(await reply);
      }
      throw new Error('Could not establish connection. Receiving end does not exist.');
    },
    onMessage: this.onMessageEvent,
    getURL: (path: string) => `chrome-extension://${this.extensionId}/${path}`,
    openOptionsPage: async () => {
      this.openedTabs.push(this.runtime.getURL('options.html'));
    },
  };

  readonly permissions = {
    contains: async ({ origins }: { origins: string[] }) =>
      origins.every((origin) => this.grantedOrigins.has(origin)),
    request: async ({ origins }: { origins: string[] }) => {
      this.permissionRequests.push(origins);
      for (const origin of origins) this.grantedOrigins.add(origin);
      return true;
    },
  };

  readonly tabs = {
    create: async ({ url }: { url: string }) => {
      this.openedTabs.push(url);
      return { url };
    },
  };

  /** Fires `alarms.onAlarm` as Chrome would when the alarm is due, and waits for the listeners. */
  fireAlarm(name: string): void {
    for (const listener of this.onAlarmEvent.listeners) listener({ name });
  }
}
