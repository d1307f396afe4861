import type { Attachment, Binary } from '@medplum/fhirtypes';

/**
 * Content types shown in a tab as they are. Anything else (HTML, SVG, XML) could run script in
 * the extension's origin if opened, so it is opened as plain text instead.
 */
const SAFE_TO_OPEN = /^(application\/pdf|image\/(png|jpeg|gif|webp)|text\/plain)(;|$)/i;

/** Saves `blob` as a file through a temporary object URL and an `<a download>`. */
export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Opens `blob` in a new tab; types that could carry script open as plain text. */
export function openBlob(blob: Blob): void {
  const safe = SAFE_TO_OPEN.test(blob.type) ? blob : new Blob([blob], { type: 'text/plain' });
  const url = URL.createObjectURL(safe);
  window.open(url, '_blank', 'noopener');
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function base64Bytes(data: string): Uint8Array<ArrayBuffer> {
  const binary = atob(data);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/**
 * The id of the `Binary` that `url` names on the FHIR server at `fhirBaseUrl`, if it names one
 * there. A `Binary/<id>` on another host or outside the base is another server's document: reading
 * ours under the same id would show the wrong file, and the token is only ever sent to the base.
 * @see https://hl7.org/fhir/R4/references.html#literal
 */
function binaryIdOnServer(url: string, fhirBaseUrl: string): string | undefined {
  const base = new URL(`${fhirBaseUrl.replace(/\/+$/, '')}/`).href;
  if (!URL.canParse(url, base)) return undefined;
  const resolved = new URL(url, base).href;
  if (!resolved.startsWith(base)) return undefined;
  return /^Binary\/([A-Za-z0-9\-.]{1,64})$/.exec(resolved.slice(base.length))?.[1];
}

/**
 * The content of a document attachment: inline `data`, or the `Binary` its `url` names on the
 * FHIR server (read through `readBinary`, with the user's token).
 * @see https://hl7.org/fhir/R4/datatypes.html#Attachment
 * @see https://hl7.org/fhir/R4/binary.html
 */
export async function attachmentBlob(
  attachment: Attachment,
  fhirBaseUrl: string,
  readBinary: (id: string) => Promise<Binary>,
): Promise<Blob> {
  const type = attachment.contentType ?? 'application/octet-stream';
  if (attachment.data) return new Blob([base64Bytes(attachment.data)], { type });
  const id = attachment.url ? binaryIdOnServer(attachment.url, fhirBaseUrl) : undefined;
  if (!id) throw new Error('This attachment has no content this extension can fetch.');
  const binary = await readBinary(id);
  if (!binary.data) throw new Error('The document on the server is empty.');
  return new Blob([base64Bytes(binary.data)], { type: binary.contentType ?? type });
}

/** A file name for an attachment: its title, made safe, with an extension from its type. */
export function attachmentFilename(attachment: Attachment): string {
  const base =
    (attachment.title ?? 'document').replace(/[^\w.-]+/g, '-').slice(0, 80) || 'document';
  if (/\.\w{2,4}$/.test(base)) return base;
  const subtype = attachment.contentType?.split(';')[0]?.split('/')[1];
  return subtype ? `${base}.${subtype.replace(/[^\w]+/g, '')}` : base;
}
