import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { iconPng, ICON_SIZES } from '../scripts/icons.mjs';

const manifest = JSON.parse(
  readFileSync(new URL('../static/manifest.json', import.meta.url), 'utf8'),
) as {
  key: string;
  permissions: string[];
  host_permissions: string[];
  optional_host_permissions: string[];
  content_security_policy: { extension_pages: string };
  icons: Record<string, string>;
};

/**
 * Chrome's id for a packed key: the first 32 hex digits of SHA-256 over the DER public key,
 * each digit mapped from 0-f to a-p.
 * @see https://developer.chrome.com/docs/extensions/reference/manifest/key
 */
function extensionId(key: string): string {
  const hex = createHash('sha256').update(Buffer.from(key, 'base64')).digest('hex').slice(0, 32);
  return [...hex].map((digit) => String.fromCharCode(97 + parseInt(digit, 16))).join('');
}

describe('manifest.json', () => {
  test('has a key that gives the documented extension id', () => {
    expect(extensionId(manifest.key)).toBe('bffbaicccggaljnamlkcofgcdnhpconj');
  });

  test('asks only for identity, storage and alarms', () => {
    expect(manifest.permissions).toEqual(['identity', 'storage', 'alarms']);
  });

  test('reaches only loopback and the two NextGen hosts without asking', () => {
    expect(manifest.host_permissions).toEqual([
      'http://127.0.0.1/*',
      'http://localhost/*',
      'https://idp-prod.prod.ngo.nextgenaws.net/*',
      'https://fhir.meditouchehr.com/*',
    ]);
    expect(manifest.optional_host_permissions).toEqual(['https://*/*']);
  });

  test('forbids inline and foreign scripts, plugins, base changes and framing', () => {
    const policy = manifest.content_security_policy.extension_pages;
    for (const directive of [
      "script-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ]) {
      expect(policy).toContain(directive);
    }
  });
});

describe('icons', () => {
  test.each(ICON_SIZES)('draws a valid %i px PNG', (size) => {
    const png = iconPng(size);
    expect(png.subarray(0, 8)).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    );
    expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([size, size]);
  });

  test('has a file for every size the manifest names', () => {
    expect(Object.keys(manifest.icons).map(Number)).toEqual(ICON_SIZES);
  });
});
