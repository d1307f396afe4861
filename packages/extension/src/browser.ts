import browser from 'webextension-polyfill';
import type { ExtensionApi, MessageListener } from './extension-api.js';

/**
 * The real WebExtension API, through `webextension-polyfill` (this module is its only importer).
 * The polyfill's `onMessage` already treats a returned promise as the reply.
 * @see https://github.com/mozilla/webextension-polyfill#using-runtimesendmessage-or-runtimeonmessage
 */
export const extensionApi: ExtensionApi = {
  storage: browser.storage,
  identity: browser.identity,
  alarms: {
    create: (name, info) => browser.alarms.create(name, info),
    clear: (name) => browser.alarms.clear(name),
    onAlarm: browser.alarms.onAlarm,
  },
  runtime: {
    sendMessage: (message) => browser.runtime.sendMessage(message),
    onMessage: {
      addListener: (listener: MessageListener) =>
        browser.runtime.onMessage.addListener((message: unknown) => listener(message)),
    },
    getURL: (path) => browser.runtime.getURL(path),
    openOptionsPage: () => browser.runtime.openOptionsPage(),
  },
  permissions: browser.permissions,
  tabs: { create: (properties) => browser.tabs.create(properties) },
};
