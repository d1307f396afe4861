import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { XMLValidator } from 'fast-xml-parser';
import { Fhir } from 'fhir';
import { requestedEncoding } from './format.js';
import { fixtureApp, FHIR_PREFIX } from './test-support/fixture-app.js';
import type { FakeVerifier } from './test-support/fake-verifier.js';

describe('requestedEncoding', () => {
  test('takes the first _format value that names an encoding', () => {
    expect(requestedEncoding(['html', 'xml'], 'application/fhir+json')).toBe('xml');
  });

  test('takes the Accept type with the highest q', () => {
    expect(requestedEncoding([], 'application/fhir+json;q=0.5, application/fhir+xml')).toBe('xml');
  });

  test('prefers JSON when XML and JSON are wanted equally', () => {
    expect(requestedEncoding([], 'application/fhir+xml, application/fhir+json')).toBe('json');
  });

  test('names no encoding for */* or a browser without XML', () => {
    expect(requestedEncoding([], '*/*')).toBeUndefined();
    expect(requestedEncoding([], 'text/html')).toBeUndefined();
  });

  test('reads plain application/xml as FHIR XML except in strict mode (Binary)', () => {
    expect(requestedEncoding([], 'application/xml')).toBe('xml');
    expect(requestedEncoding([], 'application/xml', true)).toBeUndefined();
  });
});

describe('FHIR XML answers', () => {
  let app: FastifyInstance;
  let verifier: FakeVerifier;
  let token: string;
  const fhir = new Fhir();

  beforeAll(async () => {
    ({ app, verifier } = await fixtureApp());
    token = verifier.grant('patient/*.read');
  });
  afterAll(() => app.close());

  const get = (path: string, accept?: string) =>
    app.inject({
      method: 'GET',
      url: `${FHIR_PREFIX}/${path}`,
      headers: { authorization: `Bearer ${token}`, ...(accept ? { accept } : {}) },
    });

  test('a read with _format=xml answers well-formed FHIR XML that round-trips to the JSON', async () => {
    const xml = await get('Patient/428946492?_format=xml');
    const json = await get('Patient/428946492');
    expect(xml.statusCode).toBe(200);
    expect(xml.headers['content-type']).toBe('application/fhir+xml; charset=utf-8');
    expect(XMLValidator.validate(xml.body)).toBe(true);
    expect(xml.body).toContain('<Patient xmlns="http://hl7.org/fhir">');
    expect(fhir.xmlToObj(xml.body)).toEqual(json.json());
  });

  test('a percent-encoded _format name or an upper-case XML media type asks for XML too', async () => {
    const encoded = await get('Patient/428946492?%5Fformat=xml');
    const accepted = await get('Patient/428946492', 'APPLICATION/FHIR+XML');
    expect(encoded.headers['content-type']).toBe('application/fhir+xml; charset=utf-8');
    expect(accepted.headers['content-type']).toBe('application/fhir+xml; charset=utf-8');
  });

  test('a search with Accept: application/fhir+xml answers a searchset Bundle in XML', async () => {
    const response = await get(
      'Observation?patient=428946492&category=vital-signs',
      'application/fhir+xml',
    );
    const json = await get('Observation?patient=428946492&category=vital-signs');
    expect(response.headers['content-type']).toBe('application/fhir+xml; charset=utf-8');
    expect(XMLValidator.validate(response.body)).toBe(true);
    const parsed = fhir.xmlToObj(response.body) as unknown as { entry: unknown[]; total: number };
    const expected = json.json<{ entry: unknown[]; total: number }>();
    expect(parsed.total).toBe(expected.total);
    expect(parsed.entry).toEqual(expected.entry);
  });

  test('an OperationOutcome is answered in XML with its status', async () => {
    const response = await get('Observation?patient=428946492&_count=ten&_format=xml');
    expect(response.statusCode).toBe(400);
    expect(XMLValidator.validate(response.body)).toBe(true);
    expect(response.body).toContain('<diagnostics value="Invalid _count value: ten"/>');
  });

  test('the CapabilityStatement is answered in XML', async () => {
    const response = await app.inject({
      method: 'GET',
      url: `${FHIR_PREFIX}/metadata?_format=xml`,
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<CapabilityStatement xmlns="http://hl7.org/fhir">');
  });

  test('_format=xml in a POST _search form body answers XML', async () => {
    const response = await app.inject({
      method: 'POST',
      url: `${FHIR_PREFIX}/Condition/_search`,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: 'patient=428946492&_format=xml',
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/fhir+xml; charset=utf-8');
    expect(XMLValidator.validate(response.body)).toBe(true);
  });

  test('_format=json and no Accept keep answering JSON', async () => {
    const response = await get('Patient/428946492?_format=json', 'application/fhir+xml');
    expect(response.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
  });
});
