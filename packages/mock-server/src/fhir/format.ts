import type { FastifyReply, FastifyRequest } from 'fastify';

/** The two encodings of FHIR resources this server answers in. */
export type Encoding = 'json' | 'xml';

/** HAPI's content type for FHIR XML answers. */
export const FHIR_XML = 'application/fhir+xml; charset=utf-8';

// HAPI's `EncodingEnum.forContentType`: `_format` values and media types that name an encoding.
// The strict table (`forContentTypeStrict`) is used for Binary, whose plain XML or JSON media
// types mean the raw content.
const LENIENT: Readonly<Record<string, Encoding>> = {
  json: 'json',
  'text/json': 'json',
  'application/json': 'json',
  'application/fhir+json': 'json',
  'application/json+fhir': 'json',
  xml: 'xml',
  'text/xml': 'xml',
  'application/xml': 'xml',
  'application/fhir+xml': 'xml',
  'application/xml+fhir': 'xml',
};
const STRICT: Readonly<Record<string, Encoding>> = {
  json: 'json',
  'application/fhir+json': 'json',
  'application/json+fhir': 'json',
  xml: 'xml',
  'application/fhir+xml': 'xml',
  'application/xml+fhir': 'xml',
};

/**
 * The encoding a request asks for, as HAPI's `RestfulServerUtils.determineResponseEncodingNoDefault`
 * decides it: the first `_format` value that names one, else the `Accept` media type with the
 * highest `q` that names one (JSON, the default, winning ties); `undefined` when neither names
 * one (the caller's default applies: JSON, or a Binary's own content).
 * @see https://hl7.org/fhir/R4/http.html#mime-type
 */
export function requestedEncoding(
  formats: readonly string[],
  accept: string | undefined,
  strict = false,
): Encoding | undefined {
  const table = strict ? STRICT : LENIENT;
  for (const format of formats) {
    const encoding = table[format.trim().toLowerCase()];
    if (encoding) return encoding;
  }
  let best: Encoding | undefined;
  let bestQ = -1;
  for (const part of (accept ?? '').split(',')) {
    const [type = '', ...parameters] = part.split(';').map((item) => item.trim());
    const encoding = table[type.toLowerCase()];
    if (!encoding) continue;
    const qualifier = parameters.find((parameter) => /^q\s*=/.test(parameter));
    const parsed = qualifier === undefined ? 1 : Number(qualifier.split('=')[1]);
    const q = Number.isNaN(parsed) ? 1 : Math.max(parsed, 0);
    if (q > bestQ || (q === bestQ && encoding === 'json')) {
      best = encoding;
      bestQ = q;
    }
  }
  return best;
}

interface XmlSerializer {
  objToXml(resource: object): string;
}

let serializer: Promise<XmlSerializer> | undefined;

/**
 * FHIR XML for a FHIR JSON document, serialised by FHIR.js (`fhir`, Lantana Consulting Group),
 * which orders elements by the R4 definitions and writes primitive extensions and XHTML
 * narrative as the XML format requires. Loaded on the first XML request only.
 * @see https://hl7.org/fhir/R4/xml.html
 */
export async function fhirXml(json: string): Promise<string> {
  serializer ??= import('fhir').then(({ Fhir }) => new Fhir());
  return (await serializer).objToXml(JSON.parse(json) as object);
}

const FHIR_JSON_TYPE = 'application/fhir+json';
// Every media type that names FHIR XML (`requestedEncoding`) contains `xml`.
const XML_IN_ACCEPT = /xml/i;

/** The parameters of a request URL's query, in order (`[]` without one). */
export function queryEntries(url: string): [string, string][] {
  const at = url.indexOf('?');
  return at < 0 ? [] : [...new URLSearchParams(url.slice(at + 1))];
}

/**
 * Sends an answer's FHIR JSON (resource, Bundle, OperationOutcome, CapabilityStatement) as FHIR
 * XML when `_format` (in the query or a POST `_search` form, as HAPI reads them) or `Accept` ask
 * for it, as HAPI serves both; as is otherwise. Decided in the send rather than in an `onSend`
 * hook, so a read pays no hook, and without parsing the query when the request cannot ask for XML
 * (no `_format` in the query, even percent-encoded, nor in a form, and no `xml` in `Accept`).
 * @see https://hl7.org/fhir/R4/http.html#mime-type
 */
export function sendFhirJson(
  request: FastifyRequest,
  reply: FastifyReply,
  json: string,
): FastifyReply | Promise<FastifyReply> {
  const { url } = request;
  const query = url.indexOf('?');
  const form =
    request.method === 'POST' && typeof request.body === 'string'
      ? [...new URLSearchParams(request.body)]
      : [];
  const mayNameFormat =
    (query >= 0 && (url.includes('_format', query) || url.includes('%', query))) ||
    form.some(([name]) => name === '_format');
  const accept = request.headers.accept;
  if (!mayNameFormat && (accept === undefined || !XML_IN_ACCEPT.test(accept))) {
    return reply.send(json);
  }
  const type = reply.getHeader('content-type');
  const formats = [...queryEntries(url), ...form]
    .filter(([name]) => name === '_format')
    .map(([, value]) => value);
  if (
    typeof type !== 'string' ||
    !type.startsWith(FHIR_JSON_TYPE) ||
    requestedEncoding(formats, accept) !== 'xml'
  ) {
    return reply.send(json);
  }
  return fhirXml(json).then((xml) => reply.header('content-type', FHIR_XML).send(xml));
}
