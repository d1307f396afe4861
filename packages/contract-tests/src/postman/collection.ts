import { load } from 'js-yaml';
import { DOCUMENTED_SCOPE, GUIDE_TEST_CLIENT } from '../target.js';

/**
 * The Postman collection of `docs/postman/`, built from NextGen's Swagger file: one request per
 * documented route, each with a test script, and the collection-level OAuth 2.0 configured as the
 * developer guide's Postman workflow (Authorization Code with PKCE, Postman's callback, Basic client
 * authentication).
 * @see https://schema.postman.com/json/collection/v2.1.0/collection.json
 */

/** Postman's collection format v2.1. */
const COLLECTION_SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

/** The callback the guide registers for its test client: Postman's own. */
const POSTMAN_CALLBACK = 'https://oauth.pstmn.io/v1/callback';

/**
 * The guide's example scopes, then the Swagger file's `patient/*.read` ("Read access to all
 * Patient Resources"): the example's nine types alone would leave most routes answering 403.
 */
const COLLECTION_SCOPE = `${DOCUMENTED_SCOPE} patient/*.read`;

/** A route of the Swagger file: `GET /fhir/r4/{type}` (search) or `GET /fhir/r4/{type}/{id}` (read). */
export interface SwaggerRoute {
  path: string;
  type: string;
  kind: 'read' | 'search';
  parameters: Array<{ name: string; in: string; required: boolean }>;
}

/** Routes the collection leaves out, and why: the mock must serve a route before it is added. */
export const ROUTES_NOT_YET_IN_COLLECTION: Readonly<Record<string, string>> = {};

interface SwaggerParameter {
  name: string;
  in: string;
  required?: boolean;
}
interface SwaggerFile {
  paths: Record<string, { get?: { parameters?: Array<{ $ref: string } | SwaggerParameter> } }>;
  parameters: Record<string, SwaggerParameter>;
}

/** The FHIR routes of the Swagger file, in its order (`/ccda` is not one: see {@link ccdaItem}). */
function swaggerRoutes(swaggerYaml: string): SwaggerRoute[] {
  const swagger = load(swaggerYaml) as SwaggerFile;
  const routes: SwaggerRoute[] = [];
  for (const [path, operations] of Object.entries(swagger.paths)) {
    const match = /^\/fhir\/r4\/(\w+)(\/\{id\})?$/.exec(path);
    if (!match?.[1] || !operations.get) continue;
    // Most routes reference shared parameters; a few (Specimen's) declare them inline.
    const parameters = (operations.get.parameters ?? []).map((parameter) => {
      const definition =
        '$ref' in parameter
          ? swagger.parameters[parameter.$ref.replace('#/parameters/', '')]
          : parameter;
      if (!definition) throw new Error(`${path}: unknown parameter ${JSON.stringify(parameter)}`);
      return { name: definition.name, in: definition.in, required: definition.required === true };
    });
    routes.push({ path, type: match[1], kind: match[2] ? 'read' : 'search', parameters });
  }
  return routes;
}

// Where each type names its patient; types outside the patient compartment have no entry.
const PATIENT_ELEMENT: Readonly<Record<string, string>> = {
  AllergyIntolerance: 'patient',
  CarePlan: 'subject',
  CareTeam: 'subject',
  Condition: 'subject',
  Coverage: 'beneficiary',
  Device: 'patient',
  DiagnosticReport: 'subject',
  DocumentReference: 'subject',
  Encounter: 'subject',
  Goal: 'subject',
  Immunization: 'patient',
  MedicationAdministration: 'subject',
  MedicationDispense: 'subject',
  MedicationRequest: 'subject',
  Observation: 'subject',
  Procedure: 'subject',
  RelatedPerson: 'patient',
  Specimen: 'subject',
};

// Values for the Swagger's required query parameters other than `patient`.
const REQUIRED_VALUES: Readonly<Record<string, string>> = {
  'CarePlan.category': 'assess-plan',
  'PractitionerRole.practitioner': '{{practitionerId}}',
};

/** The value an id variable holds until a search (or a read) has found a real id. */
const NO_ID_YET = 'none-found-yet';

const idVariable = (type: string) => `${type[0]!.toLowerCase()}${type.slice(1)}Id`;

// Where the read of a type without a search of its own takes its id from.
const ID_FOUND_BY: Readonly<Record<string, string>> = {
  Organization: 'the Patient read (the assigner of its identifier)',
  Practitioner: 'the Encounter search (its first participant)',
  Location: 'the Encounter search (its location)',
  Provenance: 'the Patient search (`_revinclude=Provenance:target`)',
};

const js = (...lines: string[]) => lines;

function patientCheck(type: string, variable: string): string[] {
  const element = PATIENT_ELEMENT[type];
  if (element) {
    return js(
      `pm.expect(${variable}.${element}.reference, '${type}.${element}').to.eql('Patient/' + pm.variables.get('patient'));`,
    );
  }
  if (type === 'Patient') {
    return js(`pm.expect(${variable}.id, 'Patient.id').to.eql(pm.variables.get('patient'));`);
  }
  if (type === 'PractitionerRole') {
    return js(
      `pm.expect(${variable}.practitioner.reference).to.eql('Practitioner/' + pm.variables.get('practitionerId'));`,
    );
  }
  if (type === 'Provenance') {
    return js(
      `pm.expect(${variable}.target.map((target) => target.reference)).to.include('Patient/' + pm.variables.get('patient'));`,
    );
  }
  return [];
}

function patientTestName(type: string, plural: boolean): string {
  if (PATIENT_ELEMENT[type] || type === 'Patient') {
    return plural ? `every ${type} belongs to the patient` : 'it belongs to the patient';
  }
  if (type === 'PractitionerRole')
    return `${plural ? 'every role is' : 'it is a role'} of the practitioner`;
  if (type === 'Provenance') return 'it records a resource of the patient';
  return '';
}

// Ids the later requests need, taken from what a response shows.
function capturedIds(route: SwaggerRoute): string[] {
  if (route.type === 'Patient' && route.kind === 'read') {
    return js(
      `const assigner = (body.identifier || []).map((id) => id.assigner && id.assigner.reference).find((ref) => ref && ref.startsWith('Organization/'));`,
      `pm.collectionVariables.set('organizationId', assigner ? assigner.split('/')[1] : '${NO_ID_YET}');`,
    );
  }
  if (route.type === 'Patient' && route.kind === 'search') {
    return js(
      `const provenance = (body.entry || []).find((entry) => entry.resource.resourceType === 'Provenance');`,
      `pm.collectionVariables.set('provenanceId', provenance ? provenance.resource.id : '${NO_ID_YET}');`,
    );
  }
  if (route.type === 'Encounter' && route.kind === 'search') {
    return js(
      `const people = matches.flatMap((encounter) => encounter.participant || []).map((p) => p.individual && p.individual.reference).filter((ref) => ref && ref.startsWith('Practitioner/'));`,
      `const places = matches.flatMap((encounter) => encounter.location || []).map((l) => l.location.reference);`,
      `pm.collectionVariables.set('practitionerId', people.length ? people[0].split('/')[1] : '${NO_ID_YET}');`,
      `pm.collectionVariables.set('locationId', places.length ? places[0].split('/')[1] : '${NO_ID_YET}');`,
    );
  }
  return [];
}

function searchScript(route: SwaggerRoute): string[] {
  const check = patientCheck(route.type, 'resource');
  return js(
    'const body = pm.response.json();',
    `pm.test('answers 200 with a searchset Bundle', () => {`,
    '  pm.response.to.have.status(200);',
    `  pm.expect(body.resourceType).to.eql('Bundle');`,
    `  pm.expect(body.type).to.eql('searchset');`,
    '});',
    `const matches = (body.entry || []).filter((entry) => entry.search && entry.search.mode === 'match').map((entry) => entry.resource);`,
    `pm.test('every match is a ${route.type}', () => {`,
    `  matches.forEach((resource) => pm.expect(resource.resourceType).to.eql('${route.type}'));`,
    '});',
    ...(check.length
      ? [
          `pm.test('${patientTestName(route.type, true)}', () => {`,
          ...check.map((line) => `  matches.forEach((resource) => ${line.replace(/;$/, '')});`),
          '});',
        ]
      : []),
    ...(route.type === 'Patient'
      ? []
      : [
          `pm.collectionVariables.set('${idVariable(route.type)}', matches.length ? matches[0].id : '${NO_ID_YET}');`,
        ]),
    ...capturedIds(route),
  );
}

function readScript(route: SwaggerRoute): string[] {
  const variable = route.type === 'Patient' ? 'patient' : idVariable(route.type);
  const check = patientCheck(route.type, 'body');
  return js(
    'const body = pm.response.json();',
    `const id = pm.variables.get('${variable}');`,
    `if (id === '${NO_ID_YET}') {`,
    `  pm.test('answers 404 with an OperationOutcome: no ${route.type} id was found before this request', () => {`,
    '    pm.response.to.have.status(404);',
    `    pm.expect(body.resourceType).to.eql('OperationOutcome');`,
    '  });',
    '} else {',
    `  pm.test('answers 200 with the ${route.type}', () => {`,
    '    pm.response.to.have.status(200);',
    `    pm.expect(body.resourceType).to.eql('${route.type}');`,
    '    pm.expect(body.id).to.eql(id);',
    '  });',
    ...(check.length
      ? [
          `  pm.test('${patientTestName(route.type, false)}', () => {`,
          ...check.map((line) => `    ${line}`),
          '  });',
        ]
      : []),
    ...capturedIds(route).map((line) => `  ${line}`),
    '}',
  );
}

function searchQuery(route: SwaggerRoute): Array<{ key: string; value: string }> {
  if (route.type === 'Patient') {
    return [
      { key: '_id', value: '{{patient}}' },
      { key: '_revinclude', value: 'Provenance:target' },
    ];
  }
  const query: Array<{ key: string; value: string }> = [];
  for (const parameter of route.parameters) {
    if (parameter.in !== 'query') continue;
    if (parameter.name === 'patient') {
      query.push({ key: 'patient', value: '{{patient}}' });
    } else if (parameter.required) {
      const value = REQUIRED_VALUES[`${route.type}.${parameter.name}`];
      if (value === undefined) {
        throw new Error(`${route.path}: no value for the required parameter ${parameter.name}`);
      }
      query.push({ key: parameter.name, value });
    }
  }
  return query;
}

interface PostmanItem {
  name: string;
  request: {
    method: 'GET';
    header: Array<{ key: string; value: string }>;
    url: {
      raw: string;
      host: string[];
      path: string[];
      query?: Array<{ key: string; value: string }>;
    };
    description: string;
  };
  event: Array<{ listen: 'test'; script: { type: 'text/javascript'; exec: string[] } }>;
}

function requestItem(route: SwaggerRoute): PostmanItem {
  const path =
    route.kind === 'read'
      ? [route.type, route.type === 'Patient' ? '{{patient}}' : `{{${idVariable(route.type)}}}`]
      : [route.type];
  const query = route.kind === 'search' ? searchQuery(route) : [];
  const search = query.map(({ key, value }) => `${key}=${value}`).join('&');
  const source =
    route.kind === 'read' && route.type !== 'Patient'
      ? ` The id comes from ${ID_FOUND_BY[route.type] ?? `the ${route.type} search before it`}.`
      : '';
  return {
    name: route.kind === 'read' ? `Read ${route.type}` : `Search ${route.type}`,
    request: {
      method: 'GET',
      header: [{ key: 'Accept', value: 'application/fhir+json' }],
      url: {
        raw: `{{fhirBase}}/${path.join('/')}${search ? `?${search}` : ''}`,
        host: ['{{fhirBase}}'],
        path,
        ...(query.length ? { query } : {}),
      },
      description: `\`GET ${route.path}\` of NextGen's Swagger file.${source}`,
    },
    event: [
      {
        listen: 'test',
        script: {
          type: 'text/javascript',
          exec: route.kind === 'read' ? readScript(route) : searchScript(route),
        },
      },
    ],
  };
}

/**
 * The Swagger file's `GET /ccda?patient=&date=` (under its basePath, `{{apiBase}}`): the
 * patient's C-CDA document as `text/xml`, checked for its status, type and patient.
 */
function ccdaItem(): PostmanItem {
  return {
    name: 'C-CDA document',
    request: {
      method: 'GET',
      header: [{ key: 'Accept', value: 'text/xml' }],
      url: {
        raw: '{{apiBase}}/ccda?patient={{patient}}',
        host: ['{{apiBase}}'],
        path: ['ccda'],
        query: [{ key: 'patient', value: '{{patient}}' }],
      },
      description:
        "`GET /ccda` of NextGen's Swagger file: the patient's C-CDA document (`text/xml`); `date` (gt, lt, ge, le, eq prefixes) narrows its entries.",
    },
    event: [
      {
        listen: 'test',
        script: {
          type: 'text/javascript',
          exec: js(
            'const text = pm.response.text();',
            `pm.test('answers 200 with a C-CDA ClinicalDocument as text/xml', () => {`,
            '  pm.response.to.have.status(200);',
            `  pm.expect(pm.response.headers.get('Content-Type')).to.match(/^text\\/xml/);`,
            `  pm.expect(text).to.include('<ClinicalDocument');`,
            '});',
            `pm.test('it is the document of the patient', () => {`,
            `  const recordTarget = text.slice(text.indexOf('<recordTarget>'), text.indexOf('</recordTarget>'));`,
            `  pm.expect(recordTarget).to.include('"' + pm.variables.get('patient') + '"');`,
            '});',
          ),
        },
      },
    ],
  };
}

const DESCRIPTION = `The FHIR R4 routes of NextGen Office's Patient Access API, one request per route of the
vendor's Swagger file, signed in the way the developer guide's Postman workflow does it.

1. Choose the environment: **Patient Access mock** (\`npx patient-access-mock\`, http://127.0.0.1:8765)
   or **NextGen Office** (enter the client ID and secret NextGen issued you).
2. Collection → Authorization → **Get New Access Token**, sign in (mock: \`DavidFHIR\` / \`password\`),
   choose the patient, then **Use Token**.
3. Set the environment's \`patient\` to the patient you chose (David Smith is 428946492), then
   run the collection: searches first, then reads of ids the searches found.

Each request's tests check the status, the \`resourceType\` and that what came back is the patient's.`;

/** The collection. */
export function buildCollection(swaggerYaml: string): Record<string, unknown> {
  const routes = swaggerRoutes(swaggerYaml);
  const types = [...new Set(routes.map((route) => route.type))];
  const folders = types.map((type) => ({
    name: type,
    item: routes
      .filter((route) => route.type === type)
      .sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'search' ? -1 : 1))
      .map(requestItem),
  }));
  folders.push({ name: 'C-CDA', item: [ccdaItem()] });
  const ids = routes
    .filter((route) => route.kind === 'read' && route.type !== 'Patient')
    .map((route) => idVariable(route.type));
  return {
    info: {
      name: 'NextGen Office Patient Access API',
      description: DESCRIPTION,
      schema: COLLECTION_SCHEMA,
    },
    auth: {
      type: 'oauth2',
      oauth2: [
        { key: 'grant_type', value: 'authorization_code_with_pkce', type: 'string' },
        { key: 'challengeAlgorithm', value: 'S256', type: 'string' },
        {
          key: 'authUrl',
          value: '{{issuer}}/protocol/openid-connect/auth?aud={{fhirBase}}',
          type: 'string',
        },
        {
          key: 'accessTokenUrl',
          value: '{{issuer}}/protocol/openid-connect/token',
          type: 'string',
        },
        { key: 'redirect_uri', value: POSTMAN_CALLBACK, type: 'string' },
        { key: 'useBrowser', value: false, type: 'boolean' },
        { key: 'clientId', value: '{{clientId}}', type: 'string' },
        { key: 'clientSecret', value: '{{clientSecret}}', type: 'string' },
        { key: 'client_authentication', value: 'header', type: 'string' },
        { key: 'scope', value: COLLECTION_SCOPE, type: 'string' },
        { key: 'state', value: '{{$guid}}', type: 'string' },
        { key: 'tokenName', value: 'NextGen Office patient', type: 'string' },
        { key: 'addTokenTo', value: 'header', type: 'string' },
        { key: 'headerPrefix', value: 'Bearer', type: 'string' },
        // Empty until "Get New Access Token"; newman (CI) passes a token as this variable.
        { key: 'accessToken', value: '{{accessToken}}', type: 'string' },
      ],
    },
    item: folders,
    variable: [{ key: 'accessToken', value: '' }, ...ids.map((key) => ({ key, value: NO_ID_YET }))],
  };
}

/** An environment of the collection: where the server is and which client signs in. */
function buildEnvironment(
  name: string,
  values: {
    issuer: string;
    fhirBase: string;
    /** The Swagger file's basePath, where `/ccda` is. */
    apiBase: string;
    clientId: string;
    clientSecret: string;
    patient: string;
  },
): Record<string, unknown> {
  return {
    name,
    values: Object.entries(values).map(([key, value]) => ({
      key,
      value,
      type: key === 'clientSecret' ? 'secret' : 'default',
      enabled: true,
    })),
    _postman_variable_scope: 'environment',
  };
}

/** The mock's environment: the bin's default origin and the guide's test client. */
export function mockEnvironment(origin = 'http://127.0.0.1:8765'): Record<string, unknown> {
  return buildEnvironment('Patient Access mock', {
    issuer: `${origin}/auth/realms/nextgen`,
    fhirBase: `${origin}/api/fhir/r4`,
    apiBase: `${origin}/api`,
    clientId: GUIDE_TEST_CLIENT.clientId,
    clientSecret: GUIDE_TEST_CLIENT.clientSecret ?? '',
    patient: '428946492',
  });
}

/** NextGen Office production, with placeholders for the credentials NextGen issues. */
export function nextgenEnvironment(): Record<string, unknown> {
  return buildEnvironment('NextGen Office', {
    issuer: 'https://idp-prod.prod.ngo.nextgenaws.net/auth/realms/nextgen',
    fhirBase: 'https://fhir.meditouchehr.com/api/fhir/r4',
    apiBase: 'https://fhir.meditouchehr.com/api',
    clientId: '<client ID issued by NextGen>',
    clientSecret: '<client secret issued by NextGen>',
    patient: '<FHIR Patient id from the token response>',
  });
}
