/**
 * The Firefox add-on's id. Firefox derives the redirect URL from it
 * (`https://<sha1 of the id>.extensions.allizom.org/`), so it must never change.
 * @see https://developer.mozilla.org/en-US/docs/Mozilla/Add-ons/WebExtensions/API/identity/getRedirectURL
 */
export const GECKO_ID = 'patient-access@patient-access-sandbox.example';

/**
 * Firefox 142 is the first version that reads `data_collection_permissions` on desktop and on
 * Android alike (desktop has since 140); storage.session, MV3 module background scripts and
 * optional host permissions are all older.
 * @see https://extensionworkshop.com/documentation/develop/firefox-builtin-data-consent/
 */
export const FIREFOX_MIN_VERSION = '142.0';

/**
 * The Firefox manifest, derived from the Chrome one (`static/manifest.json`) so the two never
 * drift: Firefox runs MV3 background scripts in an event page, not a service worker; it takes its
 * id from `browser_specific_settings.gecko.id`, not from a `key`; and it asks every add-on to
 * declare the data it sends to its developer or third parties. This one sends none: health data
 * goes only between the browser and the server the user signs in to.
 * @see https://developer.mozilla.org/en-US/docs/Mozilla/Add-ons/WebExtensions/manifest.json/background
 * @see https://developer.mozilla.org/en-US/docs/Mozilla/Add-ons/WebExtensions/manifest.json/browser_specific_settings
 * @param {Record<string, unknown> & { background: { service_worker: string, type?: string } }} chrome
 * @returns {Record<string, unknown>}
 */
export function firefoxManifest(chrome) {
  const { key: _key, minimum_chrome_version: _minimum, background, ...shared } = chrome;
  return {
    ...shared,
    background: { scripts: [background.service_worker], type: background.type ?? 'classic' },
    browser_specific_settings: {
      gecko: {
        id: GECKO_ID,
        strict_min_version: FIREFOX_MIN_VERSION,
        data_collection_permissions: { required: ['none'] },
      },
    },
  };
}
