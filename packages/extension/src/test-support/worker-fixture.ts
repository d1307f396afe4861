import { DEFAULT_SETTINGS, saveSettings, type Settings } from '../settings.js';
import { createWorker } from '../worker.js';
import { FakeAuthServer } from './fake-auth-server.js';
import { FakeExtensionApi } from './fake-extension-api.js';

/** A service worker wired to in-memory browser APIs and a fake authorization server. */
export interface WorkerFixture {
  api: FakeExtensionApi;
  server: FakeAuthServer;
  worker: ReturnType<typeof createWorker>;
  /** A new worker over the same storage, as after Chrome stopped and restarted the worker. */
  restart(): ReturnType<typeof createWorker>;
}

/** Sets up a worker whose settings point at the fake server, with the auth window approving. */
export async function workerFixture(settings: Partial<Settings> = {}): Promise<WorkerFixture> {
  const api = new FakeExtensionApi();
  const server = new FakeAuthServer();
  api.webAuthFlow = async (url) => server.authorize(url);
  await saveSettings(api, { ...DEFAULT_SETTINGS, mockOrigin: server.origin, ...settings }, '');
  const restart = () => createWorker({ api, fetch: server.fetch, clock: () => server.now });
  return { api, server, worker: restart(), restart };
}
