import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { firefoxManifest, FIREFOX_MIN_VERSION, GECKO_ID } from '../scripts/firefox-manifest.mjs';

const chrome = JSON.parse(
  readFileSync(new URL('../static/manifest.json', import.meta.url), 'utf8'),
) as Parameters<typeof firefoxManifest>[0];
const firefox = firefoxManifest(chrome) as {
  background: unknown;
  browser_specific_settings: { gecko: Record<string, unknown> };
} & Record<string, unknown>;

describe('firefoxManifest', () => {
  test('runs the background bundle as a module event page, since Firefox has no service worker', () => {
    expect(firefox.background).toEqual({ scripts: ['background.js'], type: 'module' });
  });

  test('names the add-on with the fixed gecko id and the first version that reads every key', () => {
    expect(firefox.browser_specific_settings.gecko).toMatchObject({
      id: GECKO_ID,
      strict_min_version: FIREFOX_MIN_VERSION,
    });
  });

  test('declares that it sends no data to its developer or third parties', () => {
    expect(firefox.browser_specific_settings.gecko.data_collection_permissions).toEqual({
      required: ['none'],
    });
  });

  test('drops the Chrome-only key and minimum version', () => {
    expect(firefox).not.toHaveProperty('key');
    expect(firefox).not.toHaveProperty('minimum_chrome_version');
  });

  test('asks for the same permissions, hosts, pages and content security policy as Chrome', () => {
    for (const key of [
      'permissions',
      'host_permissions',
      'optional_host_permissions',
      'action',
      'options_ui',
      'icons',
      'content_security_policy',
    ]) {
      expect(firefox[key], key).toEqual((chrome as Record<string, unknown>)[key]);
    }
  });

  test('gives the redirect URL the README documents', () => {
    // Firefox's getRedirectURL: the SHA-1 of the add-on id, in hex, under extensions.allizom.org.
    const hash = createHash('sha1').update(GECKO_ID).digest('hex');
    expect(`https://${hash}.extensions.allizom.org/callback`).toBe(
      'https://0cd92b4e37d0cd061461cdbe26da33a690f359d9.extensions.allizom.org/callback',
    );
  });
});
