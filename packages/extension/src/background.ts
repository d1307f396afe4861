import { extensionApi } from './browser.js';
import { createWorker } from './worker.js';

/**
 * The service worker. Listeners are registered synchronously at the top level so Chrome can wake
 * the worker for an event and find them; all state lives in storage.
 * @see https://developer.chrome.com/docs/extensions/develop/concepts/service-workers/events
 */
const worker = createWorker({ api: extensionApi });

extensionApi.runtime.onMessage.addListener((message) => worker.onMessage(message));
extensionApi.alarms.onAlarm.addListener((alarm) => {
  void worker.onAlarm(alarm);
});
