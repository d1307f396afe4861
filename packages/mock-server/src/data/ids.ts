/**
 * Id blocks. NextGen ids are numeric strings (`428946492`, `Person/4007449`); every block below is
 * disjoint from the documented ids and from the others, so ids are unique across the dataset and
 * depend only on (patient index, position in the record).
 */
const SHARED_BASE = 300_000_000;
const SYNTHETIC_PATIENT_BASE = 430_000_000;
const SYNTHETIC_PERSON_BASE = 4_100_000;
const RECORD_BASE = 500_000_000;

/** Resources one record may hold before its block would overlap the next patient's. */
export const RECORD_BLOCK_SIZE = 10_000;

/** The id of the `n`-th shared resource (practitioners, locations, medications…). */
export function sharedId(n: number): string {
  return String(SHARED_BASE + n);
}

/** The Patient id of synthetic patient `n` (1-based). */
export function syntheticPatientId(n: number): string {
  return String(SYNTHETIC_PATIENT_BASE + n);
}

/** The Person (account) id of synthetic patient `n` (1-based). */
export function syntheticPersonId(n: number): string {
  return String(SYNTHETIC_PERSON_BASE + n);
}

/**
 * The index in `Dataset.patientIds` of the patient whose record block holds `id`, or `undefined`
 * for an id outside every record block.
 */
export function recordOwnerIndex(id: string): number | undefined {
  if (!/^\d{1,15}$/.test(id)) return undefined;
  const n = Number(id);
  return n < RECORD_BASE ? undefined : Math.floor((n - RECORD_BASE) / RECORD_BLOCK_SIZE);
}

/** The first id of the record of the patient at `patientIndex` in `Dataset.patientIds`. */
export function recordIdBase(patientIndex: number): number {
  return RECORD_BASE + patientIndex * RECORD_BLOCK_SIZE;
}
