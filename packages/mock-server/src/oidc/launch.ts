import { OAuthError } from './errors.js';
import { selectablePatients } from './accounts.js';
import type { IdentityContext } from './context.js';
import { randomToken, type LaunchContext, type LaunchRecord } from './sessions/store.js';

/** The body of `POST /__admin/launches`. */
export interface LaunchRequest {
  patient: string;
  encounter?: string;
  user?: string;
}

/** The JSON schema of {@link LaunchRequest}. */
export const LAUNCH_BODY = {
  type: 'object',
  required: ['patient'],
  additionalProperties: false,
  properties: {
    patient: { type: 'string', minLength: 1, maxLength: 64 },
    encounter: { type: 'string', minLength: 1, maxLength: 64 },
    user: { type: 'string', minLength: 1, maxLength: 256 },
  },
} as const;

/** Keycloak's words for a `launch` it refuses: unknown, expired or already used. */
const INVALID_LAUNCH = 'Invalid parameter: launch';

const invalid = (description: string) => new OAuthError('invalid_request', description);

/**
 * Checks an EHR launch's context against the dataset (the patient exists, the encounter is one of
 * its visits, the user is a login that may select the patient) and stores it under a new opaque
 * `launch` value, valid for `lifetimes.launch` seconds and one authorization.
 * @see https://hl7.org/fhir/smart-app-launch/app-launch.html#launch-app-ehr-launch
 */
export function createLaunch(context: IdentityContext, request: LaunchRequest): LaunchRecord {
  const { accounts } = context;
  if (!accounts.hasPatient(request.patient)) {
    throw invalid(`Unknown patient: ${request.patient}`);
  }
  if (
    request.encounter !== undefined &&
    !accounts.encounters(request.patient).some((encounter) => encounter.id === request.encounter)
  ) {
    throw invalid(`Unknown encounter of patient ${request.patient}: ${request.encounter}`);
  }
  let userId: string | undefined;
  if (request.user !== undefined) {
    const account = accounts.byLogin(request.user);
    if (!account) throw invalid(`Unknown user: ${request.user}`);
    if (!selectablePatients(account).includes(request.patient)) {
      throw invalid(`User ${request.user} may not select patient ${request.patient}`);
    }
    userId = account.userId;
  }
  const record: LaunchRecord = {
    launch: randomToken(),
    patient: request.patient,
    encounter: request.encounter,
    userId,
    expiresAt: context.clock.now() + context.config.lifetimes.launch * 1000,
    used: false,
  };
  context.store.launches.set(record.launch, record);
  return record;
}

/**
 * The context of a live, unused `launch` value, marked used: a launch binds one authorization.
 * Throws `invalid_request` "Invalid parameter: launch" otherwise, as Keycloak refuses a
 * parameter it cannot accept.
 */
export function consumeLaunch(context: IdentityContext, launch: string): LaunchContext {
  const record = context.store.launches.get(launch);
  if (!record || record.used || record.expiresAt <= context.clock.now()) {
    throw invalid(INVALID_LAUNCH);
  }
  record.used = true;
  return { patient: record.patient, encounter: record.encounter, userId: record.userId };
}
