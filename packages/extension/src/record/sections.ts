import { carePlanSection, careTeamSection, deviceSection, goalSection } from './care-sections.js';
import {
  allergySection,
  conditionSection,
  encounterSection,
  immunizationSection,
  procedureSection,
} from './clinical-sections.js';
import { coverageSection } from './coverage.js';
import { documentSection } from './documents.js';
import { labResultsSection } from './lab-results.js';
import { administrationSection, dispenseSection } from './medication-use.js';
import { medicationSection } from './medications.js';
import { orderSection } from './orders.js';
import type { SectionSpec } from './section.js';
import { vitalSignsSection } from './vital-signs.js';

/** Every section of the record view, in display order. */
export const SECTIONS: readonly SectionSpec[] = [
  conditionSection,
  medicationSection,
  dispenseSection,
  administrationSection,
  allergySection,
  immunizationSection,
  vitalSignsSection,
  labResultsSection,
  orderSection,
  procedureSection,
  encounterSection,
  careTeamSection,
  carePlanSection,
  goalSection,
  deviceSection,
  documentSection,
  coverageSection,
];

/** The resource types a user can choose to share, one per section. */
export const SECTION_TYPES: readonly string[] = SECTIONS.map((section) => section.resourceType);

/** The section named after `resourceType`, if any. */
export function sectionFor(resourceType: string): SectionSpec | undefined {
  return SECTIONS.find((section) => section.resourceType === resourceType);
}
