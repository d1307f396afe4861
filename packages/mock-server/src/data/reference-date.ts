/**
 * The fixed "today" of the dataset: every date is computed from it, never from the clock, so a seed
 * gives the same record on any day. It is the week David's guide example was captured.
 */
export const REFERENCE_DATE = new Date('2023-05-18T16:00:00Z');

const DAY_MS = 86_400_000;

/** The instant `days` before {@link REFERENCE_DATE} (fractions allowed). */
export function daysAgo(days: number): Date {
  return new Date(REFERENCE_DATE.getTime() - Math.round(days * DAY_MS));
}

/** The same instant `days` later. */
export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + Math.round(days * DAY_MS));
}

/** A FHIR `instant`/`dateTime` with second precision in UTC. */
export function fhirDateTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A FHIR `date` (`YYYY-MM-DD`). */
export function fhirDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Whole years from `birthDate` (a FHIR date) to `at`. */
export function ageInYears(birthDate: string, at: Date): number {
  const birth = new Date(`${birthDate}T00:00:00Z`);
  let age = at.getUTCFullYear() - birth.getUTCFullYear();
  const beforeBirthday =
    at.getUTCMonth() < birth.getUTCMonth() ||
    (at.getUTCMonth() === birth.getUTCMonth() && at.getUTCDate() < birth.getUTCDate());
  if (beforeBirthday) age -= 1;
  return age;
}
