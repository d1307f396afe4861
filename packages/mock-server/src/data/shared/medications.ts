import type { Medication } from '@medplum/fhirtypes';
import { sharedId } from '../ids.js';
import { US_CORE_PROFILES } from '../profiles.js';
import { fhirDateTime, REFERENCE_DATE } from '../reference-date.js';
import { MEDICATIONS, type MedicationKey } from '../terminology/medications.js';

const KEYS = Object.keys(MEDICATIONS) as MedicationKey[];

/** The id of the shared Medication for a curated drug (`MedicationRequest.medicationReference`). */
export function medicationId(key: MedicationKey): string {
  return sharedId(100 + KEYS.indexOf(key));
}

/** One US Core Medication per curated drug. */
export function medicationResources(): Medication[] {
  return KEYS.map((key) => {
    const { rxnorm, form } = MEDICATIONS[key];
    return {
      resourceType: 'Medication',
      id: medicationId(key),
      meta: { lastUpdated: fhirDateTime(REFERENCE_DATE), profile: [US_CORE_PROFILES.medication] },
      code: { coding: [rxnorm], text: rxnorm.display },
      status: 'active',
      form: { coding: [form] },
    };
  });
}
