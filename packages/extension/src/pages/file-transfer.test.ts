import type { Binary } from '@medplum/fhirtypes';
import { describe, expect, test, vi } from 'vitest';
import { attachmentBlob, attachmentFilename } from './file-transfer.js';

const BASE = 'http://127.0.0.1:8765/api/fhir/r4';
const hello = Buffer.from('hello').toString('base64');

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

  test('refuses an attachment with neither data nor a Binary URL', async () => {
    await expect(
      attachmentBlob({ url: 'https://elsewhere.example/file.pdf' }, BASE, vi.fn()),
    ).rejects.toThrow('This attachment has no content this extension can fetch.');
  });
});

describe('attachmentFilename', () => {
  test('makes a safe file name with an extension from the content type', () => {
    expect(
      attachmentFilename({ title: 'Visit summary / 2025', contentType: 'application/pdf' }),
    ).toBe('Visit-summary-2025.pdf');
  });
});
