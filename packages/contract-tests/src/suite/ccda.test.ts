import { beforeAll, describe, expect, test } from 'vitest';
import { signIn, suiteContext, type SignedIn } from './support/context.js';
import {
  ccdaValidationErrors,
  locateCcdaValidator,
  validateCcdaDocuments,
} from '../../../../test-support/ccda-validator.js';

const context = await suiteContext('ccda');
const { profile, kind } = { ...context.target };
// Alex, David's dependent: on the mock the test user may choose him too.
const DEPENDENT = '429119572';

/** The Swagger file's `GET /ccda`, under its basePath `/api/` on the FHIR host. */
const ccdaUrl = (patient: string, query = '') =>
  `${new URL('../../ccda', `${profile.fhirBaseUrl}/`).href}?patient=${encodeURIComponent(patient)}${query}`;

interface Fetched {
  status: number;
  contentType: string;
  body: string;
}

async function getCcda(check: string, url: string, accessToken?: string): Promise<Fetched> {
  const headers = new Headers({ accept: 'text/xml' });
  if (accessToken !== undefined) headers.set('authorization', `Bearer ${accessToken}`);
  const response = await context.fetch(check)(url, { headers });
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    body: await response.text(),
  };
}

// What a document is, in a few facts the report keeps (never the health data itself).
function documentFacts(xml: string) {
  const templates = [...xml.matchAll(/<templateId root="([0-9.]+)"(?: extension="([^"]+)")?\/>/g)];
  const header = xml.slice(0, xml.indexOf('<component>'));
  return {
    root: /<ClinicalDocument\b/.test(xml),
    documentTemplates: [
      ...new Set(
        [...header.matchAll(/<templateId root="([0-9.]+)"(?: extension="([^"]+)")?\/>/g)].map(
          ([, root, extension]) => `${root ?? ''}${extension ? `:${extension}` : ''}`,
        ),
      ),
    ],
    sectionCodes: [
      ...xml.matchAll(/<section[^>]*>\s*(?:<templateId[^>]*\/>\s*)*<code code="([^"]+)"/g),
    ].map(([, code]) => code ?? ''),
    templateCount: templates.length,
  };
}

let session: SignedIn;
let patientId: string;
const documents = new Map<string, string>();

beforeAll(async () => {
  session = await signIn(context);
  patientId = (session.tokens.patient ?? '').trim();
});

describe('GET /api/ccda', () => {
  test("answers the token's patient's C-CDA document as text/xml", async () => {
    const fetched = await getCcda('ccda/document', ccdaUrl(patientId), session.tokens.accessToken);
    context.recorder.note('ccda/document', {
      status: fetched.status,
      contentType: fetched.contentType,
      bytes: fetched.body.length,
      ...(fetched.status === 200 ? documentFacts(fetched.body) : {}),
    });
    expect(fetched.status).toBe(200);
    expect(fetched.contentType).toMatch(/^(text|application)\/xml\b/);
    expect(fetched.body).toMatch(/<ClinicalDocument\b/);
    const recordTarget = fetched.body.slice(
      fetched.body.indexOf('<recordTarget>'),
      fetched.body.indexOf('</recordTarget>'),
    );
    expect(recordTarget).toContain(`"${patientId}"`);
    documents.set(`patient ${patientId}`, fetched.body);
  });

  test.runIf(kind === 'mock')(
    "answers the dependent's document to a token for the dependent (mock only)",
    async () => {
      const dependent = await signIn(context, { patient: DEPENDENT });
      const fetched = await getCcda(
        'ccda/dependent',
        ccdaUrl(DEPENDENT),
        dependent.tokens.accessToken,
      );
      expect(fetched.status).toBe(200);
      expect(fetched.body).toContain(`extension="${DEPENDENT}"`);
      documents.set(`patient ${DEPENDENT}`, fetched.body);
    },
  );

  test('narrows the document with a date prefix', async () => {
    const fetched = await getCcda(
      'ccda/date',
      ccdaUrl(patientId, '&date=ge2022-01-01'),
      session.tokens.accessToken,
    );
    context.recorder.note('ccda/date', { status: fetched.status, bytes: fetched.body.length });
    expect(fetched.status).toBe(200);
    expect(fetched.body).toMatch(/<ClinicalDocument\b/);
  });

  test('answers 401 without a token', async () => {
    const fetched = await getCcda('ccda/no-token', ccdaUrl(patientId));
    context.recorder.note('ccda/no-token', { status: fetched.status });
    expect(fetched.status).toBe(401);
  });

  // The Swagger file documents 401 "Resource not authorized to be viewed by this user"; HAPI's
  // authorization interceptor answers 403; a server may also hide the record (404).
  test("refuses another patient's document", async () => {
    const other = patientId === '428946523' ? '428946492' : '428946523';
    const fetched = await getCcda('ccda/other-patient', ccdaUrl(other), session.tokens.accessToken);
    context.recorder.note('ccda/other-patient', { status: fetched.status });
    expect([401, 403, 404]).toContain(fetched.status);
    expect(fetched.body).not.toMatch(/<ClinicalDocument\b/);
  });

  test('every document passes the CDA schema and the C-CDA R2.1 schematron', async (testContext) => {
    const validator = locateCcdaValidator();
    if ('missing' in validator) {
      const message = `C-CDA validator not found (${validator.missing}); set PATIENT_ACCESS_SHARED_DIR`;
      if (process.env.CI === 'true') throw new Error(message);
      console.warn(`SKIPPED: ${message}`);
      testContext.skip();
      return;
    }
    expect(documents.size).toBeGreaterThan(0);
    const results = await validateCcdaDocuments(documents, validator.script);
    const errors = ccdaValidationErrors(results);
    // The real server's documents are recorded, not judged: they are what we learn from.
    context.recorder.note('ccda/validation', {
      valid: results.every((result) => result.valid),
      errors: errors.length,
      firstErrors: errors.slice(0, 20),
    });
    if (kind === 'mock') expect(errors).toEqual([]);
  }, 120_000);
});
