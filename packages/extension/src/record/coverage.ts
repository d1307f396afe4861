import type { Coverage } from '@medplum/fhirtypes';
import { conceptText, periodText, referenceText } from './fhir-text.js';
import { itemCard, statusText } from './item-card.js';
import { ofType, type SectionSpec } from './section.js';

/** The coverage class of `code` (`plan`, `group`), as "name (value)". */
function coverageClass(coverage: Coverage, code: string): string | undefined {
  const found = coverage.class?.find((item) =>
    item.type.coding?.some((coding) => coding.code === code),
  );
  if (!found) return undefined;
  return found.name ? `${found.name} (${found.value})` : found.value;
}

/**
 * The member id: the identifier typed `MB` (HL7 v2 table 0203), else the subscriber id.
 * @see https://hl7.org/fhir/us/core/STU6.1/StructureDefinition-us-core-coverage.html
 */
export function memberId(coverage: Coverage): string | undefined {
  return (
    coverage.identifier?.find((identifier) =>
      identifier.type?.coding?.some((coding) => coding.code === 'MB'),
    )?.value ?? coverage.subscriberId
  );
}

/** Insurance: payer, plan and member id of each coverage. */
export const coverageSection: SectionSpec = {
  resourceType: 'Coverage',
  title: 'Insurance',
  load: (source, patientId) => source.search('Coverage', { patient: patientId }),
  render: (resources) =>
    ofType<Coverage>(resources, 'Coverage').map((coverage) =>
      itemCard(
        'Coverage',
        coverage.payor
          ?.map((payer) => referenceText(payer))
          .filter(Boolean)
          .join(', ') || conceptText(coverage.type),
        [
          ['Plan', coverageClass(coverage, 'plan')],
          ['Group', coverageClass(coverage, 'group')],
          ['Member ID', memberId(coverage)],
          ['Type', conceptText(coverage.type)],
          ['Relationship', conceptText(coverage.relationship)],
          ['Covered', periodText(coverage.period)],
          ['Status', statusText(coverage.status)],
        ],
      ),
    ),
};
