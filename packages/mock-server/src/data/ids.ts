/**
 * Id blocks. NextGen ids are numeric strings (`428946492`, `Person/4007449`); every block below is
 * disjoint from the documented ids and from the others, so ids are unique across the dataset and
 * depend only on (patient index, position in the record). Encounters, Conditions and Observations
 * carry the Swagger's prefix before their number (`PT-500000012`); the number alone still names
 * the record block.
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
  const number = PREFIXED_ID.exec(id)?.[1];
  if (number === undefined) return undefined;
  const n = Number(number);
  return n < RECORD_BASE ? undefined : Math.floor((n - RECORD_BASE) / RECORD_BLOCK_SIZE);
}

/** The first id of the record of the patient at `patientIndex` in `Dataset.patientIds`. */
export function recordIdBase(patientIndex: number): number {
  return RECORD_BASE + patientIndex * RECORD_BLOCK_SIZE;
}

const CONDITION_PREFIXES: Readonly<Record<string, string>> = {
  'problem-list-item': 'PL-',
  'health-concern': 'HC-',
  'encounter-diagnosis': 'ED-',
};

const OBSERVATION_PREFIXES: Readonly<Record<string, string>> = {
  'social-history': 'HX-',
  'vital-signs': 'VS-',
  laboratory: 'LR-',
};

const PREFIXED_ID = /^(?:(?:PT|PL|HC|ED|HX|VS|LR)-)?(\d{1,15})$/;

/**
 * The prefix NextGen's Swagger documents for a resource's id: `PT-` for an Encounter, `PL-`,
 * `HC-` or `ED-` for a Condition by category (problem list, health concern, encounter diagnosis),
 * `HX-`, `VS-` or `LR-` for an Observation (social history, vital signs, laboratory); `''` for
 * every other resource.
 */
export function documentedIdPrefix(resource: { resourceType: string; category?: unknown }): string {
  const table =
    resource.resourceType === 'Condition'
      ? CONDITION_PREFIXES
      : resource.resourceType === 'Observation'
        ? OBSERVATION_PREFIXES
        : undefined;
  if (table === undefined) return resource.resourceType === 'Encounter' ? 'PT-' : '';
  const categories = (resource.category ?? []) as { coding?: { code?: string }[] }[];
  for (const coding of categories.flatMap((category) => category.coding ?? [])) {
    const prefix = table[coding.code ?? ''];
    if (prefix !== undefined) return prefix;
  }
  return '';
}
