/**
 * The resource types and search parameters of NextGen Office's R4 server, from its captured
 * CapabilityStatement (`spec/nextgen-office-r4-capabilitystatement.json`), with the parameters its
 * Swagger file (`spec/nextgen-office-fhir-r4-openapi.yaml`) marks `required: true`.
 *
 * The CapabilityStatement declares some token and string parameters as `reference` (Condition
 * `category`, Patient `gender` and `name`, Organization `name`); HAPI searches them by their base R4
 * definitions, so this table gives each parameter its R4 type and element paths.
 * @see https://hl7.org/fhir/R4/searchparameter-registry.html
 */

/** How a parameter's values compare. */
export type SearchParamType = 'token' | 'date' | 'reference' | 'string' | 'id';

/** One search parameter of one resource type. */
export interface SearchParameterDefinition {
  name: string;
  type: SearchParamType;
  /** Element paths (dotted, arrays flattened) whose values the parameter matches, any of them. */
  paths: readonly string[];
  /** For reference parameters: the type a bare id means (`patient=123` is `Patient/123`). */
  target?: string;
  /** Marked `required: true` in the Swagger file: a search without it answers 400. */
  required?: boolean;
  /** The parameter this one is another name for (`subject` for `patient`), satisfying its requirement. */
  aliasOf?: string;
}

/** What the server offers for one resource type. */
export interface ResourceDefinition {
  type: string;
  /** The `search-type` interaction; read is offered for every type. */
  searchable: boolean;
  params: ReadonlyMap<string, SearchParameterDefinition>;
  /** `_include` targets, by parameter name: the reference paths they follow. */
  includes: ReadonlyMap<string, SearchParameterDefinition>;
  /** Not in any patient compartment: readable with any valid token. */
  shared: boolean;
}

type ParamSpec = Omit<SearchParameterDefinition, 'name'>;

const id: ParamSpec = { type: 'id', paths: ['id'] };
const token = (...paths: string[]): ParamSpec => ({ type: 'token', paths });
const date = (...paths: string[]): ParamSpec => ({ type: 'date', paths });
const text = (...paths: string[]): ParamSpec => ({ type: 'string', paths });
const patientAt = (path: string, required = true): ParamSpec => ({
  type: 'reference',
  paths: [path],
  target: 'Patient',
  required,
});
const required = (spec: ParamSpec): ParamSpec => ({ ...spec, required: true });

// `subject` is R4's own name for the patient parameter where the element is `subject`; HAPI
// accepts both, and clients written against other servers send `subject`.
function subjectOf(path: string): Record<string, ParamSpec> {
  return path === 'subject'
    ? { subject: { type: 'reference', paths: ['subject'], target: 'Patient', aliasOf: 'patient' } }
    : {};
}

interface TypeSpec {
  searchable?: boolean;
  shared?: boolean;
  params?: Record<string, ParamSpec>;
  includes?: Record<string, ParamSpec>;
}

function clinical(
  patientPath: string,
  params: Record<string, ParamSpec>,
  requirePatient = true,
): TypeSpec {
  return {
    searchable: true,
    params: {
      patient: patientAt(patientPath, requirePatient),
      ...subjectOf(patientPath),
      ...params,
    },
  };
}

const TYPES: Record<string, TypeSpec> = {
  AllergyIntolerance: clinical('patient', { date: date('recordedDate') }),
  CarePlan: clinical('subject', {
    category: required(token('category')),
    date: date('period'),
  }),
  CareTeam: clinical('subject', { _id: id, status: token('status') }, false),
  Condition: clinical('subject', {
    category: token('category'),
    date: date('onsetDateTime', 'onsetPeriod'),
  }),
  Coverage: clinical('beneficiary', {}),
  Device: clinical('patient', { date: date('manufactureDate') }),
  DiagnosticReport: clinical('subject', {
    category: token('category'),
    code: token('code'),
    date: date('effectiveDateTime', 'effectivePeriod'),
  }),
  DocumentReference: clinical('subject', {
    _id: id,
    category: token('category'),
    date: date('date'),
    status: token('status'),
    type: token('type'),
  }),
  Encounter: clinical('subject', { date: date('period'), _id: id }, false),
  Goal: clinical('subject', { date: date('startDate', 'target.dueDate') }),
  Immunization: clinical('patient', { date: date('occurrenceDateTime') }),
  MedicationAdministration: clinical('subject', { status: token('status') }),
  MedicationDispense: clinical('subject', { status: token('status') }),
  MedicationRequest: {
    ...clinical('subject', {
      date: date('authoredOn', 'dosageInstruction.timing.event'),
      intent: token('intent'),
      status: token('status'),
    }),
    includes: {
      medication: { type: 'reference', paths: ['medicationReference'], target: 'Medication' },
    },
  },
  Observation: clinical('subject', {
    category: token('category'),
    code: token('code'),
    date: date('effectiveDateTime', 'effectivePeriod', 'effectiveInstant'),
  }),
  Procedure: clinical('subject', { date: date('performedDateTime', 'performedPeriod') }),
  RelatedPerson: clinical('patient', {}),
  ServiceRequest: clinical(
    'subject',
    {
      authored: date('authoredOn'),
      category: token('category'),
      code: token('code'),
      _id: id,
    },
    false,
  ),
  Specimen: clinical('subject', { _id: id }, false),
  Patient: {
    searchable: true,
    params: {
      _id: id,
      birthdate: date('birthDate'),
      gender: token('gender'),
      identifier: token('identifier'),
      name: text('name'),
    },
  },
  Organization: {
    searchable: true,
    shared: true,
    params: { address: text('address'), name: text('name', 'alias') },
  },
  PractitionerRole: {
    searchable: true,
    shared: true,
    params: {
      practitioner: {
        type: 'reference',
        paths: ['practitioner'],
        target: 'Practitioner',
        required: true,
      },
    },
  },
  Location: { shared: true },
  OperationDefinition: { shared: true },
  Practitioner: { shared: true },
  Provenance: {},
  // Not in the CapabilityStatement, yet the guide's scopes name it and MedicationRequest points
  // to it: read-only, like the other referenced resources.
  Medication: { shared: true },
};

function definition(type: string, spec: TypeSpec): ResourceDefinition {
  const params = new Map<string, SearchParameterDefinition>();
  for (const [name, param] of Object.entries(spec.params ?? {})) {
    params.set(name, { name, ...param, required: param.required === true });
  }
  const includes = new Map<string, SearchParameterDefinition>();
  for (const param of params.values()) {
    if (param.type === 'reference') includes.set(param.name, param);
  }
  for (const [name, param] of Object.entries(spec.includes ?? {})) {
    includes.set(name, { name, ...param });
  }
  return {
    type,
    searchable: spec.searchable === true,
    shared: spec.shared === true,
    params,
    includes,
  };
}

/** Every resource type the server reads, by its exact name. */
export const RESOURCE_DEFINITIONS: ReadonlyMap<string, ResourceDefinition> = new Map(
  Object.entries(TYPES).map(([type, spec]) => [type, definition(type, spec)]),
);

/** Parameters every search accepts besides the type's own (HAPI's result parameters). */
export const RESULT_PARAMETERS: ReadonlySet<string> = new Set([
  '_count',
  '_include',
  '_revinclude',
  '_format',
  '_pretty',
  '_sort',
  '_elements',
  '_summary',
  '_total',
  '_lastUpdated',
]);
