import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { OperationOutcome } from '@medplum/fhirtypes';
import { convertXmlToCcda, type CcdaEffectiveTime } from '@medplum/ccda';
import { buildApp } from '../app.js';
import { NOT_AUTHORIZED_TEXT } from '../fhir/outcomes.js';
import { GUIDE_USERS } from '../../../../test-support/guide.js';
import { accessTokenFor } from '../test-support/identity-flow.js';
import type { SupplyRelationship } from './medications.js';
import { CCD_SECTIONS } from './test-support/sections.js';

const CCDA = '/api/ccda';
const DAVID = GUIDE_USERS.david.patientId;
const ANNA = GUIDE_USERS.anna.patientId;

let app: FastifyInstance;
let token: string;

beforeAll(async () => {
  app = await buildApp({ logLevel: 'silent' });
  token = await accessTokenFor(app, GUIDE_USERS.david);
});
afterAll(() => app.close());

const get = (query: string, bearer: string | null = token, headers = {}) =>
  app.inject({
    method: 'GET',
    url: `${CCDA}${query}`,
    headers: { ...(bearer === null ? {} : { authorization: `Bearer ${bearer}` }), ...headers },
  });

const issueOf = (body: string) => (JSON.parse(body) as OperationOutcome).issue?.[0];

/** The `<entry>` count of the section coded `loinc` in `xml`. */
function entriesOf(xml: string, loinc: string): number {
  const start = xml.indexOf(`<code code="${loinc}"`);
  if (start < 0) throw new Error(`No section ${loinc}`);
  const end = xml.indexOf('</section>', start);
  return xml.slice(start, end).split('<entry>').length - 1;
}

describe('GET /api/ccda', () => {
  test("answers the patient's Continuity of Care Document as text/xml", async () => {
    const response = await get(`?patient=${DAVID}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(response.body).toContain('<ClinicalDocument xmlns="urn:hl7-org:v3"');
    expect(response.body).toContain(
      '<templateId root="2.16.840.1.113883.10.20.22.1.2" extension="2015-08-01"/>',
    );
  });

  test('names the patient in the recordTarget with the Patient resource’s identifiers and demographics', async () => {
    const { body } = await get(`?patient=${DAVID}`);
    const recordTarget = body.slice(
      body.indexOf('<recordTarget>'),
      body.indexOf('</recordTarget>'),
    );
    expect(recordTarget).toContain(`extension="${DAVID}"`);
    expect(recordTarget).toContain('<family>SMITH</family>');
    expect(recordTarget).toContain('<given>DAVID</given>');
    expect(recordTarget).toContain('<birthTime value="19961102"/>');
    expect(recordTarget).toContain('<administrativeGenderCode code="M"');
    expect(recordTarget).toContain('<raceCode code="1002-5"');
    expect(recordTarget).toContain('<ethnicGroupCode code="2135-2"');
  });

  test('names the practice as custodian and the care team as the service event’s performers', async () => {
    const { body } = await get(`?patient=${DAVID}`);
    const custodian = body.slice(body.indexOf('<custodian>'), body.indexOf('</custodian>'));
    expect(custodian).toContain('Congress Avenue Family Medicine');
    const documentationOf = body.slice(
      body.indexOf('<documentationOf>'),
      body.indexOf('</documentationOf>'),
    );
    expect(documentationOf.split('<performer typeCode="PRF">').length - 1).toBe(2);
    expect(documentationOf).toContain('<family>Alvarez</family>');
  });

  test.each(CCD_SECTIONS)('has a %s section with entries from the record', async (_name, loinc) => {
    const { body } = await get(`?patient=${DAVID}`);
    expect(entriesOf(body, loinc)).toBeGreaterThan(0);
  });

  test('writes each section narrative as a CDA table, not XHTML', async () => {
    const { body } = await get(`?patient=${DAVID}`);
    expect(body).toContain('<table border="1" width="100%">');
    expect(body).not.toContain('xhtml');
    expect(body).not.toMatch(/<(div|ul|li|p)[ >]/);
  });

  test('narrows the clinical entries with the date prefixes', async () => {
    const all = (await get(`?patient=${DAVID}`)).body;
    const recent = await get(`?patient=${DAVID}&date=ge2022-01-01`);
    expect(recent.statusCode).toBe(200);
    expect(entriesOf(recent.body, '46240-8')).toBeLessThan(entriesOf(all, '46240-8'));
    const none = await get(`?patient=${DAVID}&date=lt1900`);
    expect(entriesOf(none.body, '46240-8')).toBe(0);
    expect(entriesOf(none.body, '30954-2')).toBe(0);
  });

  /** A document's supplies (EVN: fills), administrations and result organizers. */
  function medicationsAndResults(xml: string) {
    const sections = (convertXmlToCcda(xml).component?.structuredBody.component ?? []).flatMap(
      (component) => component.section,
    );
    const entriesOf = (loinc: string) =>
      sections.find((section) => section.code?.['@_code'] === loinc)?.entry ?? [];
    const activities = entriesOf('10160-0').flatMap((entry) => entry.substanceAdministration ?? []);
    const fills = activities
      .flatMap((activity) => [activity.entryRelationship ?? []].flat())
      .flatMap((relationship) => [(relationship as SupplyRelationship).supply ?? []].flat())
      .filter((supply) => supply['@_moodCode'] === 'EVN');
    const given = activities.filter(
      (activity) => [activity.effectiveTime ?? []].flat()[0]?.['@_value'] !== undefined,
    );
    const organizers = entriesOf('30954-2').flatMap((entry) => entry.organizer ?? []);
    return { fills, given, organizers, payers: entriesOf('48768-6') };
  }
  const timeOf = (times: CcdaEffectiveTime[] | CcdaEffectiveTime | undefined) => {
    const first = [times ?? []].flat()[0];
    return first?.['@_value'] ?? first?.low?.['@_value'] ?? '';
  };

  test('narrows the fills, the administrations and the results with their specimens', async () => {
    const all = medicationsAndResults((await get(`?patient=${DAVID}`)).body);
    const recent = medicationsAndResults((await get(`?patient=${DAVID}&date=ge2022-01-01`)).body);
    expect(recent.fills.length).toBeGreaterThan(0);
    expect(recent.fills.length).toBeLessThan(all.fills.length);
    for (const fill of recent.fills) expect(timeOf(fill.effectiveTime) >= '20220101').toBe(true);
    expect(recent.given.length).toBeLessThan(all.given.length);
    for (const dose of recent.given) expect(timeOf(dose.effectiveTime) >= '20220101').toBe(true);
    expect(recent.organizers.length).toBeLessThan(all.organizers.length);
    for (const organizer of recent.organizers) {
      expect(timeOf(organizer.effectiveTime) >= '20220101').toBe(true);
      expect((organizer as { specimen?: unknown }).specimen).toBeDefined();
    }
  });

  test('numbers the fills a narrowed document keeps as the whole document does', async () => {
    const numbers = (fills: ReturnType<typeof medicationsAndResults>['fills']) =>
      new Map(
        fills.map((fill) => [[fill.id].flat()[0]?.['@_extension'], fill.repeatNumber?.['@_value']]),
      );
    const all = numbers(medicationsAndResults((await get(`?patient=${DAVID}`)).body).fills);
    const early = numbers(
      medicationsAndResults((await get(`?patient=${DAVID}&date=le2020-06-30`)).body).fills,
    );
    expect(early.size).toBeGreaterThan(0);
    expect(early.size).toBeLessThan(all.size);
    for (const [id, number] of early) expect(number).toBe(all.get(id));
  });

  test('keeps a policy still in force and leaves out one that had not begun', async () => {
    const recent = medicationsAndResults((await get(`?patient=${DAVID}&date=ge2024`)).body);
    expect(recent.payers).toHaveLength(1);
    const before = medicationsAndResults((await get(`?patient=${DAVID}&date=lt2019`)).body);
    expect(before.payers).toHaveLength(0);
  });

  test('combines several dates as a range', async () => {
    const before = (await get(`?patient=${DAVID}&date=lt2020`)).body;
    const between = (await get(`?patient=${DAVID}&date=ge2019&date=lt2020`)).body;
    expect(entriesOf(between, '46240-8')).toBeLessThanOrEqual(entriesOf(before, '46240-8'));
  });

  test('answers the same document again for the same request', async () => {
    const first = await get(`?patient=${DAVID}&date=ge2021`);
    const second = await get(`?patient=${DAVID}&date=ge2021`);
    expect(second.body).toBe(first.body);
  });

  test('accepts the patient as a reference', async () => {
    const response = await get(`?patient=Patient/${DAVID}`);
    expect(response.statusCode).toBe(200);
  });

  test('answers 401 with a Bearer challenge without a token', async () => {
    const response = await get(`?patient=${DAVID}`, null);
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    expect(response.headers['www-authenticate']).toMatch(/^Bearer /);
    expect(issueOf(response.body)).toMatchObject({ code: 'login' });
  });

  test('answers 401 for a token the server did not issue', async () => {
    const response = await get(`?patient=${DAVID}`, 'not-a-token');
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  test("answers the Swagger's 401 for another patient's document, as a FHIR read outside the compartment", async () => {
    const response = await get(`?patient=${ANNA}`);
    expect(response.statusCode).toBe(401);
    expect(issueOf(response.body)?.diagnostics).toBe(NOT_AUTHORIZED_TEXT);
    expect(response.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    expect(response.body).not.toContain('<ClinicalDocument');
  });

  test('answers 400 naming the parameter when patient is missing', async () => {
    const response = await get('');
    expect(response.statusCode).toBe(400);
    expect(issueOf(response.body)).toMatchObject({ code: 'invalid', expression: ['patient'] });
  });

  test('answers 400 for a date prefix the Swagger file does not list', async () => {
    const response = await get(`?patient=${DAVID}&date=ne2020`);
    expect(response.statusCode).toBe(400);
    expect(issueOf(response.body)?.diagnostics).toContain('expected one of gt, lt, ge, le, eq');
  });

  test('answers 400 for a malformed date', async () => {
    const response = await get(`?patient=${DAVID}&date=ge2020-13`);
    expect(response.statusCode).toBe(400);
    expect(issueOf(response.body)).toMatchObject({ expression: ['date'] });
  });

  test('leaves out the resource types the scopes do not grant', async () => {
    const narrow = await accessTokenFor(
      app,
      GUIDE_USERS.david,
      'openid fhirUser launch/patient patient/Patient.read patient/Encounter.read',
    );
    const response = await get(`?patient=${DAVID}`, narrow);
    expect(response.statusCode).toBe(200);
    expect(entriesOf(response.body, '46240-8')).toBeGreaterThan(0);
    expect(entriesOf(response.body, '48765-2')).toBe(0);
    expect(entriesOf(response.body, '30954-2')).toBe(0);
  });

  test('refuses a token that may not read the Patient', async () => {
    const noPatient = await accessTokenFor(
      app,
      GUIDE_USERS.david,
      'openid fhirUser launch/patient patient/Encounter.read',
    );
    const response = await get(`?patient=${DAVID}`, noPatient);
    expect([401, 403]).toContain(response.statusCode);
    expect(response.body).not.toContain('<ClinicalDocument');
  });

  test('answers a CORS preflight for browser apps', async () => {
    const response = await app.inject({
      method: 'OPTIONS',
      url: CCDA,
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe('https://app.example');
  });
});
