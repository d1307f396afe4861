// @vitest-environment happy-dom
import type { Binary } from '@medplum/fhirtypes';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { attachmentBlob, attachmentFilename, openBlob } from './file-transfer.js';

const BASE = 'http://127.0.0.1:8765/api/fhir/r4';
const hello = Buffer.from('hello').toString('base64');

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('attachmentBlob', () => {
  test('decodes inline attachment data', async () => {
    const blob = await attachmentBlob({ contentType: 'text/plain', data: hello }, BASE, vi.fn());
    expect(await blob.text()).toBe('hello');
    expect(blob.type).toBe('text/plain');
  });

  test('reads a relative Binary reference with the FHIR client', async () => {
    const read = vi.fn(async (): Promise<Binary> => ({
      resourceType: 'Binary',
      contentType: 'application/pdf',
      data: hello,
    }));
    const blob = await attachmentBlob({ url: 'Binary/doc-1' }, BASE, read);
    expect(read).toHaveBeenCalledWith('doc-1');
    expect(blob.type).toBe('application/pdf');
  });

  test('reads an absolute Binary URL on the FHIR server', async () => {
    const read = vi.fn(async (): Promise<Binary> => ({
      resourceType: 'Binary',
      contentType: 'text/plain',
      data: hello,
    }));
    await attachmentBlob({ url: `${BASE}/Binary/doc-2` }, BASE, read);
    expect(read).toHaveBeenCalledWith('doc-2');
  });

  test('refuses a Binary URL on another host without reading it or fetching it', async () => {
    const read = vi.fn();
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    await expect(
      attachmentBlob({ url: 'https://evil.example/api/fhir/r4/Binary/doc-1' }, BASE, read),
    ).rejects.toThrow('This attachment has no content this extension can fetch.');
    expect(read).not.toHaveBeenCalled();
    expect(fetch).not.toHaveBeenCalled();
  });

  test('refuses a protocol-relative Binary URL to another host without reading it', async () => {
    const read = vi.fn();
    await expect(
      attachmentBlob({ url: '//evil.example/Binary/doc-1' }, BASE, read),
    ).rejects.toThrow('This attachment has no content this extension can fetch.');
    expect(read).not.toHaveBeenCalled();
  });

  test('refuses a Binary URL on the FHIR host but outside the FHIR base', async () => {
    const read = vi.fn();
    await expect(
      attachmentBlob({ url: 'http://127.0.0.1:8765/other/Binary/doc-1' }, BASE, read),
    ).rejects.toThrow('This attachment has no content this extension can fetch.');
    expect(read).not.toHaveBeenCalled();
  });

  test('refuses an attachment with neither data nor a Binary URL', async () => {
    await expect(
      attachmentBlob({ url: 'https://elsewhere.example/file.pdf' }, BASE, vi.fn()),
    ).rejects.toThrow('This attachment has no content this extension can fetch.');
  });
});

describe('openBlob', () => {
  function openAndCapture(blob: Blob): Blob | undefined {
    let opened: Blob | MediaSource | undefined;
    vi.spyOn(URL, 'createObjectURL').mockImplementation((object) => {
      opened = object;
      return 'blob:chrome-extension://test/1';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    vi.spyOn(window, 'open').mockImplementation(() => null);
    openBlob(blob);
    return opened instanceof Blob ? opened : undefined;
  }

  test.each(['text/html', 'image/svg+xml', 'application/xhtml+xml', 'text/xml'])(
    'opens an attachment of type %s as plain text, so its script cannot run in the extension',
    async (type) => {
      const opened = openAndCapture(new Blob(['<script>alert(1)</script>'], { type }));
      expect(opened?.type).toBe('text/plain');
      expect(await opened?.text()).toBe('<script>alert(1)</script>');
    },
  );

  test('opens an HTML attachment with a charset parameter as plain text', () => {
    const opened = openAndCapture(new Blob(['<p>hi</p>'], { type: 'text/html; charset=utf-8' }));
    expect(opened?.type).toBe('text/plain');
  });

  test('opens a PDF attachment with its own type', () => {
    const opened = openAndCapture(new Blob(['%PDF-1.7'], { type: 'application/pdf' }));
    expect(opened?.type).toBe('application/pdf');
  });

  test('opens the object URL in a new tab without an opener', () => {
    openAndCapture(new Blob(['hello'], { type: 'text/plain' }));
    expect(window.open).toHaveBeenCalledWith(
      'blob:chrome-extension://test/1',
      '_blank',
      'noopener',
    );
  });
});

describe('attachmentFilename', () => {
  test('makes a safe file name with an extension from the content type', () => {
    expect(
      attachmentFilename({ title: 'Visit summary / 2025', contentType: 'application/pdf' }),
    ).toBe('Visit-summary-2025.pdf');
  });
});
