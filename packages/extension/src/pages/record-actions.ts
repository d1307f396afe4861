import type { Attachment, Binary, Patient, Person, Resource } from '@medplum/fhirtypes';
import {
  AuthCoreError,
  FhirError,
  ResponseInvalidError,
  type FhirClient,
} from '@patient-access/auth-core';
import { describeError, type ErrorInfo } from '../error-text.js';
import type { ExtensionApi } from '../extension-api.js';
import { callWorker } from '../messages.js';
import { linkedPatients, personId } from '../record/account.js';
import { recordBundle } from '../record/export-bundle.js';
import { nameText } from '../record/fhir-text.js';
import type { RecordSource, SectionSpec } from '../record/section.js';
import { loadSettings, profileFor } from '../settings.js';
import type { AccessGrant, WorkerHandlers, WorkerStatus } from '../worker.js';
import { fhirClientFor } from './fhir-access.js';
import { attachmentBlob } from './file-transfer.js';

/**
 * What the record pages do, apart from drawing: ask the worker for the sign-in state, sign in and
 * out, read the patient and the account, build the export. No DOM here, so tests need none.
 */

const call = <Name extends keyof WorkerHandlers & string>(
  api: ExtensionApi,
  name: Name,
  ...payload: Parameters<WorkerHandlers[Name]>
) => callWorker<WorkerHandlers, Name>(api, name, ...payload);

/** Nobody signed in: why (the last error), to which server, and whether a sign-in is under way. */
export interface SignedOut {
  signedIn: false;
  error: ErrorInfo | undefined;
  serverName: string | undefined;
  signingIn: boolean;
}

/** Someone signed in: the worker's status. */
export interface SignedIn {
  signedIn: true;
  status: WorkerStatus;
}

/** The name of the server the options point at; a custom one is unnamed until checked. */
async function configuredServerName(api: ExtensionApi): Promise<string | undefined> {
  const settings = await loadSettings(api);
  return settings.server === 'custom' && !settings.customProfile
    ? undefined
    : profileFor(settings).name;
}

/** Asks the worker who is signed in; a worker that cannot answer reads as signed out. */
export async function readSignInState(api: ExtensionApi): Promise<SignedIn | SignedOut> {
  let status: WorkerStatus;
  try {
    status = await call(api, 'status');
  } catch (error) {
    return {
      signedIn: false,
      error: describeError(error),
      serverName: undefined,
      signingIn: false,
    };
  }
  if (status.signedIn) return { signedIn: true, status };
  return {
    signedIn: false,
    error: status.lastError,
    serverName: await configuredServerName(api),
    signingIn: status.signingIn,
  };
}

/**
 * Starts a sign-in in the worker (which survives the popup closing) and resolves when it ends:
 * `undefined` when signed in, else the error to show.
 */
export async function signIn(
  api: ExtensionApi,
  options: { prompt?: string },
): Promise<ErrorInfo | undefined> {
  try {
    await call(api, 'signIn', options);
    return undefined;
  } catch (error) {
    return describeError(error);
  }
}

/** Signs out; the error says the server could not confirm it (the device is signed out anyway). */
export async function signOut(
  api: ExtensionApi,
): Promise<{ error: ErrorInfo | undefined; serverName: string | undefined }> {
  const result = await call(api, 'signOut');
  return {
    error: result.error
      ? {
          code: result.error.code,
          message: `Signed out on this device, but the server could not confirm it: ${result.error.message}`,
        }
      : undefined,
    serverName: await configuredServerName(api),
  };
}

/** What a record page works with once signed in: the grant, a FHIR client and the sections. */
export interface OpenRecord {
  grant: AccessGrant;
  client: FhirClient;
  source: RecordSource;
  sections: readonly SectionSpec[];
}

/** Gets a token from the worker and the FHIR client and sections the settings ask for. */
export async function openRecord(
  api: ExtensionApi,
  allSections: readonly SectionSpec[],
): Promise<OpenRecord> {
  const grant = await call(api, 'accessToken');
  const client = fhirClientFor(api, grant.fhirBaseUrl);
  const settings = await loadSettings(api);
  return {
    grant,
    client,
    source: {
      search: (type, params) => client.searchAll(type, params),
      read: (type, id) => client.read(type, id),
    },
    sections: allSections.filter((section) =>
      settings.resourceTypes.includes(section.resourceType),
    ),
  };
}

/** Whose record is shown, and who signed in when that is someone else (a parent). */
export interface RecordOwner {
  patientName: string;
  /** The signed-in account's name when the record is a dependent's, else `undefined`. */
  signedInAs: string | undefined;
}

/**
 * The account behind the sign-in: its Person and the patients it links to. `undefined` when the
 * token names no Person, or it cannot be read.
 * @see https://hl7.org/fhir/R4/person.html
 */
export async function readAccount(
  client: Pick<FhirClient, 'read'>,
  status: Pick<WorkerStatus, 'account'>,
): Promise<Person | undefined> {
  const id = personId(status.account);
  if (id === undefined) return undefined;
  try {
    return await client.read<Person>('Person', id);
  } catch {
    return undefined;
  }
}

/** Whether to offer "Switch patient": when the account links several patients, or when unknown. */
export function offersPatientSwitch(person: Person | undefined): boolean {
  return person === undefined || linkedPatients(person).length > 1;
}

/**
 * Names the record's patient, and the signed-in account when the record is not its own: a
 * Person's first link is the account holder's own record, the others their dependents'.
 */
export function recordOwner(patient: Patient, person: Person | undefined): RecordOwner {
  const patientName = nameText(patient.name) ?? 'Unnamed patient';
  const own = person ? linkedPatients(person)[0] : undefined;
  const dependent = own !== undefined && patient.id !== undefined && own !== patient.id;
  return {
    patientName,
    signedInAs: dependent ? (nameText(person?.name) ?? 'another account') : undefined,
  };
}

/** The record as a downloadable FHIR Bundle: the patient first, then every section's resources. */
export function recordExport(input: {
  patient: Patient | undefined;
  resources: readonly Resource[];
  fhirBaseUrl: string;
  patientId: string;
  now: Date;
}): { blob: Blob; filename: string } {
  const bundle = recordBundle(
    [...(input.patient ? [input.patient] : []), ...input.resources],
    input.fhirBaseUrl,
    input.now,
  );
  return {
    blob: new Blob([JSON.stringify(bundle, null, 2)], { type: 'application/fhir+json' }),
    filename: `health-record-${input.patientId}.json`,
  };
}

/** A document's attachment as a Blob, read with the session's token when it is a Binary. */
export function attachmentFor(
  open: Pick<OpenRecord, 'client' | 'grant'>,
  attachment: Attachment,
): Promise<Blob> {
  return attachmentBlob(attachment, open.grant.fhirBaseUrl, (id) =>
    open.client.read<Binary>('Binary', id),
  );
}

/** What {@link downloadCcda} needs besides the record's client: for whom, and the date range. */
export interface CcdaRequest {
  patientId: string;
  /** `YYYY-MM-DD`, inclusive; either may be empty. */
  from?: string;
  to?: string;
}

/** A C-CDA download that failed, with the sentence to show and the HTTP status. */
export class CcdaError extends Error {
  readonly code = 'ERR_CCDA';
  readonly status: number | undefined;

  constructor(message: string, status?: number) {
    super(message);
    this.name = 'CcdaError';
    this.status = status;
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

// The server renders the whole record into one document on demand, which takes far longer than a
// FHIR read (the reads' 10 s deadline); a minute still ends a download that hangs.
const CCDA_TIMEOUT_MS = 60_000;

/**
 * The URL of NextGen's C-CDA export: `GET {origin of the FHIR base}/api/ccda?patient=…&date=…`,
 * outside the FHIR base, with the same bearer token. The range becomes `ge`/`le` date prefixes,
 * the ones the Swagger documents.
 */
export function ccdaUrl(request: CcdaRequest & { fhirBaseUrl: string }): URL {
  const url = new URL('/api/ccda', new URL(request.fhirBaseUrl).origin);
  url.searchParams.set('patient', request.patientId);
  if (request.from) url.searchParams.append('date', `ge${request.from}`);
  if (request.to) url.searchParams.append('date', `le${request.to}`);
  return url;
}

/** Checks the date range a user typed; the sentence to show, or `undefined` when it is usable. */
function ccdaRangeProblem(from: string, to: string): string | undefined {
  if ((from && !DATE.test(from)) || (to && !DATE.test(to))) {
    return 'Enter dates as YYYY-MM-DD, or leave them empty for the whole record.';
  }
  if (from && to && from > to) return 'The start date is after the end date.';
  return undefined;
}

/**
 * The sentence for a failed C-CDA request, quoting the server's own words for a refusal; any
 * other error (the worker could not give a token) is returned as it is.
 */
function ccdaError(error: unknown): unknown {
  if (!(error instanceof AuthCoreError)) return error;
  if (error.code === 'ERR_NETWORK') {
    const reason = error.cause instanceof Error ? error.cause.message : error.message;
    return new CcdaError(
      `The C-CDA document could not be fetched: the server could not be reached (${reason}).`,
    );
  }
  if (error.code === 'ERR_TIMEOUT') {
    return new CcdaError(
      'The C-CDA document could not be fetched: the server took too long to answer.',
    );
  }
  // Anything else (a refused refresh token, an aborted request) is not the document's answer.
  if (!(error instanceof FhirError || error instanceof ResponseInvalidError)) return error;
  const { status } = error;
  if (status === 404) {
    return new CcdaError(
      'This server offers no C-CDA document for this patient (it answered 404 Not Found).',
      404,
    );
  }
  if (status === 401 || status === 403) {
    const words =
      error instanceof FhirError && error.outcomeFromServer
        ? error.issues.map((issue) => issue.diagnostics ?? issue.details?.text).find(Boolean)
        : undefined;
    return new CcdaError(
      `The server did not let this app download the C-CDA document (${status}): ${words ?? 'sign in again, or ask the practice to share it.'}`,
      status,
    );
  }
  if (status !== undefined) {
    return new CcdaError(`The C-CDA download failed: the server answered ${status}.`, status);
  }
  return error;
}

/**
 * Fetches the patient's C-CDA document through the record's FHIR client (its token, one refresh
 * and retry after a 401, its deadline) and returns it as an XML file to save.
 * @see https://www.hl7.org/ccdasearch/templates/2.16.840.1.113883.10.20.22.1.2.html
 */
export async function downloadCcda(
  open: Pick<OpenRecord, 'client'>,
  request: CcdaRequest,
): Promise<{ blob: Blob; filename: string }> {
  const problem = ccdaRangeProblem(request.from ?? '', request.to ?? '');
  if (problem) throw new CcdaError(problem);
  const url = ccdaUrl({ ...request, fhirBaseUrl: open.client.baseUrl });
  const xml = await open.client
    .fetchDocument(url, { accept: 'application/xml, text/xml', timeoutMs: CCDA_TIMEOUT_MS })
    .then(
      (document) => document.text,
      (error: unknown) => {
        throw ccdaError(error);
      },
    );
  if (!/<ClinicalDocument[\s>]/.test(xml.slice(0, 4096))) {
    throw new CcdaError('The server’s answer is not a C-CDA document (no ClinicalDocument).');
  }
  const range = [request.from, request.to].filter(Boolean).join('_to_');
  return {
    blob: new Blob([xml], { type: 'application/xml' }),
    filename: `health-record-${request.patientId}${range ? `-${range}` : ''}.xml`,
  };
}
