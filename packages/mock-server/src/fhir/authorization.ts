import {
  resourceAccess,
  type ResourceAccess,
  type ScopeInteraction,
} from '@patient-access/auth-core';
import type { FastifyRequest } from 'fastify';
import {
  type AccessGrant,
  type AccessTokenVerifier,
  InvalidTokenError,
  type TokenRecipient,
} from '../access.js';
import { bearerChallenge, bearerToken } from '../bearer.js';
import { AccessDeniedError, OperationOutcomeError, unauthorized } from './outcomes.js';
import type { ResourceDefinition } from './search-parameters.js';
import { compileCriterion } from './search/criterion.js';
import type { Matcher } from './search/matcher.js';

// A 401 with a Bearer challenge: no error attribute when the request carried no token.
function refuse(text: string, withError: boolean): OperationOutcomeError {
  return new OperationOutcomeError(unauthorized(text), {
    'www-authenticate': bearerChallenge(
      withError ? { code: 'invalid_token', description: text } : undefined,
    ),
  });
}

/**
 * The grant of the request's bearer token; throws a 401 outcome with a Bearer challenge when the
 * token is missing or the verifier refuses it (malformed, expired, revoked, foreign, or minted
 * for another realm or FHIR base than `recipient`). A token verified before is answered at once
 * (its expiry, revocation and recipient checked again), any other after its verification, as a
 * promise.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 */
export function authenticate(
  request: FastifyRequest,
  verifier: AccessTokenVerifier,
  recipient: TokenRecipient,
): AccessGrant | Promise<AccessGrant> {
  const header = request.headers.authorization;
  if (header === undefined || header === '') throw refuse('No access token was provided', false);
  // `Bearer <token>` of a token verified before skips the syntax check: it passed it then, and a
  // scan of a kilobyte-long header is a visible share of a cached read.
  if (header.startsWith('Bearer ') && verifier.verifyRemembered) {
    let remembered: AccessGrant | undefined;
    try {
      remembered = verifier.verifyRemembered(header.slice(7), recipient);
    } catch (error) {
      throw refusal(error);
    }
    if (remembered) return remembered;
  }
  const token = bearerToken(header);
  if (token === undefined) throw refuse('The Authorization header is not a Bearer token', true);
  return verifier.verify(token, recipient).catch((error: unknown) => {
    throw refusal(error);
  });
}

/**
 * `answer(grant)` with the request's grant ({@link authenticate}): synchronously for a token
 * verified before, so a cached read costs no promise and no microtask turn.
 */
export function withGrant<T>(
  request: FastifyRequest,
  verifier: AccessTokenVerifier,
  recipient: TokenRecipient,
  answer: (grant: AccessGrant) => T,
): T | Promise<T> {
  const grant = authenticate(request, verifier, recipient);
  return grant instanceof Promise ? grant.then(answer) : answer(grant);
}

// The 401 of a token the verifier refused; anything else is not the client's fault.
function refusal(error: unknown): unknown {
  if (!(error instanceof InvalidTokenError)) return error;
  return refuse(
    error.reason === 'missing'
      ? 'No access token was provided'
      : `Invalid access token (${error.reason}): ${error.message}`,
    error.reason !== 'missing',
  );
}

/** One patient compartment a request may read, and the granular restriction that applies there. */
export interface Compartment {
  patient: string;
  /** `undefined` when unrestricted. */
  restriction: Matcher | undefined;
}

const notAllowed = (interaction: ScopeInteraction, type: string) =>
  new AccessDeniedError('scope', `the granted scopes do not allow ${interaction} on ${type}`);

function accessMatcher(
  definition: ResourceDefinition,
  accesses: readonly ResourceAccess[],
): Matcher | undefined {
  const restrictions = accesses.flatMap((access) => (access.allowed ? [access.restrictions] : []));
  if (restrictions.some((list) => list.length === 0)) return undefined;
  const alternatives = restrictions.flat().map((each) => restrictionMatcher(definition, each));
  return (resource) => alternatives.some((matches) => matches(resource));
}

// The compartments of each grant the verifier remembers, by type and interaction: a grant never
// changes, and working them out from its scopes (parsing, matchers) was the largest share of a
// cached read's own work. Weak, so a grant goes with its token; a service's grant is bound anew
// for every request (`boundToPatient`) and is never kept.
const knownCompartments = new WeakMap<
  AccessGrant,
  Map<ResourceDefinition, Partial<Record<ScopeInteraction, readonly Compartment[]>>>
>();

/**
 * The patient compartments the grant may reach for `interaction` on a patient-compartment type:
 * `patient/` scopes reach the token's patient, `user/` scopes every patient its user may see
 * (SMART `permission-user`); a service's `system/` scopes the patient its grant is bound to. Throws an
 * {@link AccessDeniedError} when none allows the interaction.
 * @see https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html#scopes-for-requesting-fhir-resources
 */
export function compartmentsFor(
  grant: AccessGrant,
  definition: ResourceDefinition,
  interaction: ScopeInteraction,
): readonly Compartment[] {
  if (grant.level === 'system') return grantCompartments(grant, definition, interaction);
  let byDefinition = knownCompartments.get(grant);
  if (byDefinition === undefined) {
    byDefinition = new Map();
    knownCompartments.set(grant, byDefinition);
  }
  let known = byDefinition.get(definition);
  if (known === undefined) {
    known = {};
    byDefinition.set(definition, known);
  }
  return (known[interaction] ??= grantCompartments(grant, definition, interaction));
}

function grantCompartments(
  grant: AccessGrant,
  definition: ResourceDefinition,
  interaction: ScopeInteraction,
): readonly Compartment[] {
  const byPatient = new Map<string, ResourceAccess[]>();
  const add = (patient: string, access: ResourceAccess) =>
    byPatient.set(patient, [...(byPatient.get(patient) ?? []), access]);
  // The token's own patient: by `patient/` scopes, or a service's `system/` scopes once the
  // request has bound its grant to the patient it reads (`boundToPatient`).
  const ownAccess = resourceAccess(grant.scopes, definition.type, interaction, scopeLevel(grant));
  if (ownAccess.allowed) add(grant.patient, ownAccess);
  if (grant.userPatients !== undefined) {
    const userAccess = resourceAccess(grant.scopes, definition.type, interaction, 'user');
    if (userAccess.allowed) for (const patient of grant.userPatients) add(patient, userAccess);
  }
  if (byPatient.size === 0) throw notAllowed(interaction, definition.type);
  return [...byPatient].map(([patient, accesses]) => ({
    patient,
    restriction: accessMatcher(definition, accesses),
  }));
}

function restrictionMatcher(
  definition: ResourceDefinition,
  restriction: Readonly<Record<string, string>>,
): Matcher {
  const matchers: Matcher[] = [];
  for (const [key, value] of Object.entries(restriction)) {
    const [name = '', modifier] = key.split(':', 2) as [string, string | undefined];
    const param = definition.params.get(name);
    // A restriction on a parameter this type does not have can never be satisfied.
    if (!param) return () => false;
    try {
      matchers.push(compileCriterion(param, modifier, value).matches);
    } catch {
      return () => false;
    }
  }
  return (resource) => matchers.every((matches) => matches(resource));
}

/** Whether the grant may read a resource of the compartment: scope and granular restriction. */
export function canReadIncluded(
  grant: AccessGrant,
  definition: ResourceDefinition | undefined,
  resource: Parameters<Matcher>[0],
): boolean {
  if (!definition) return false;
  if (definition.shared) return true;
  try {
    return compartmentsFor(grant, definition, 'read').some(
      (compartment) => compartment.restriction === undefined || compartment.restriction(resource),
    );
  } catch {
    return false;
  }
}

/**
 * Throws an {@link AccessDeniedError} unless `patientId` is one of the compartments the request may reach: the compartment
 * rule, checked before any look-up.
 */
export function assertInCompartments(
  compartments: readonly Compartment[],
  patientId: string,
): void {
  if (!compartments.some((compartment) => compartment.patient === patientId)) {
    throw new AccessDeniedError(
      'compartment',
      `Patient/${patientId} is outside the patient compartment of this token`,
    );
  }
}

/** Which scopes a grant reads by: `system/` for a backend service, `patient/` otherwise. */
export function scopeLevel(grant: AccessGrant): 'patient' | 'system' {
  return grant.level === 'system' ? 'system' : 'patient';
}

/**
 * The grant of a backend service for one request, bound to the patient whose record it reads:
 * `system/` scopes reach every patient, so the compartment rules then hold for that patient.
 * Any other grant as it is.
 * @see https://hl7.org/fhir/smart-app-launch/backend-services.html
 */
export function boundToPatient(grant: AccessGrant, patientId: string | undefined): AccessGrant {
  return grant.level === 'system' && patientId !== undefined
    ? { ...grant, patient: patientId }
    : grant;
}
