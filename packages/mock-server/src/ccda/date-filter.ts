import type { Resource } from '@medplum/fhirtypes';
import { badRequest, OperationOutcomeError } from '../fhir/outcomes.js';
import {
  compareRanges,
  dateRange,
  elementRange,
  type DatePrefix,
  type DateRange,
} from '../fhir/search/date.js';

/** The prefixes the Swagger file documents for `/ccda`'s `date`: "gt, lt, ge, le, eq". */
const CCDA_PREFIXES: ReadonlySet<string> = new Set(['eq', 'gt', 'lt', 'ge', 'le']);

/** One `date` criterion: every one a request carries must hold (`date=ge2020&date=lt2021`). */
export interface DateCriterion {
  prefix: DatePrefix;
  range: DateRange;
}

/**
 * Parses the `date` values of a `/ccda` request; throws a 400 outcome for a prefix the Swagger
 * does not list or a malformed date.
 * @see https://hl7.org/fhir/R4/search.html#date
 */
export function parseDateCriteria(values: readonly string[]): DateCriterion[] {
  return values.map((raw) => {
    const prefixed = /^[a-z]{2}/.test(raw);
    const prefix = prefixed ? raw.slice(0, 2) : 'eq';
    if (!CCDA_PREFIXES.has(prefix)) {
      throw new OperationOutcomeError(
        badRequest(
          `Invalid date prefix "${prefix}" in parameter "date": expected one of gt, lt, ge, le, eq`,
          'date',
        ),
      );
    }
    const text = prefixed ? raw.slice(2) : raw;
    const range = dateRange(text);
    if (range === undefined) {
      throw new OperationOutcomeError(
        badRequest(
          `Invalid date/time format: "${text}" for parameter "date" (expected YYYY, YYYY-MM, YYYY-MM-DD or a full dateTime)`,
          'date',
        ),
      );
    }
    return { prefix: prefix as DatePrefix, range };
  });
}

// The element that dates each clinical resource: the one its own `date` search parameter reads
// (US Core), so `/ccda?date=` narrows the document as the FHIR searches narrow the record.
export function clinicalDateOf(resource: Resource): unknown {
  switch (resource.resourceType) {
    case 'AllergyIntolerance':
      return resource.onsetDateTime ?? resource.recordedDate;
    case 'CarePlan':
      return resource.period;
    case 'CareTeam':
      return resource.period;
    case 'Coverage':
      return resource.period;
    case 'Condition':
      return resource.onsetDateTime ?? resource.onsetPeriod ?? resource.recordedDate;
    case 'DiagnosticReport':
      return resource.effectiveDateTime ?? resource.effectivePeriod;
    case 'DocumentReference':
      return resource.date ?? resource.context?.period;
    case 'Encounter':
      return resource.period;
    case 'Goal':
      return resource.startDate ?? resource.target?.[0]?.dueDate;
    case 'Immunization':
      return resource.occurrenceDateTime;
    case 'MedicationAdministration':
      return resource.effectiveDateTime ?? resource.effectivePeriod;
    case 'MedicationDispense':
      return resource.whenHandedOver ?? resource.whenPrepared;
    case 'MedicationRequest':
      return resource.authoredOn;
    case 'Observation':
      return resource.effectiveDateTime ?? resource.effectivePeriod ?? resource.effectiveInstant;
    case 'Procedure':
      return resource.performedDateTime ?? resource.performedPeriod;
    case 'ServiceRequest':
      return resource.occurrenceDateTime ?? resource.occurrencePeriod ?? resource.authoredOn;
    case 'Specimen':
      return (
        resource.collection?.collectedDateTime ??
        resource.collection?.collectedPeriod ??
        resource.receivedTime
      );
    default:
      return undefined;
  }
}

/**
 * Whether a resource belongs in a document narrowed by `criteria`. A resource without a clinical
 * date (a Device) stays: it describes the patient now, not an event of the period.
 */
export function withinDates(resource: Resource, criteria: readonly DateCriterion[]): boolean {
  if (criteria.length === 0) return true;
  const date = clinicalDateOf(resource);
  if (date === undefined) return true;
  const target = elementRange(date);
  if (target === undefined) return false;
  return criteria.every(({ prefix, range }) => compareRanges(prefix, target, range));
}
