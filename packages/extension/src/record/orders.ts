import type { DiagnosticReport, Procedure, Resource, ServiceRequest } from '@medplum/fhirtypes';
import { h } from './dom.js';
import { conceptText, dateText, firstConceptText, referenceText } from './fhir-text.js';
import { itemCard, notes, statusText } from './item-card.js';
import { ofType, type SectionSpec } from './section.js';

type Result = DiagnosticReport | Procedure;

/** The reports and procedures that name `order` in `basedOn`: what came of it. */
function resultsOf(order: ServiceRequest, results: readonly Result[]): Result[] {
  const key = `ServiceRequest/${order.id}`;
  return results.filter((result) => result.basedOn?.some((basis) => basis.reference === key));
}

function resultLine(result: Result): HTMLElement {
  const when =
    result.resourceType === 'DiagnosticReport'
      ? dateText(result.effectiveDateTime ?? result.issued)
      : dateText(result.performedDateTime ?? result.performedPeriod?.start);
  const what = conceptText(result.code) ?? result.resourceType;
  const detail = result.resourceType === 'DiagnosticReport' ? result.conclusion : undefined;
  return h(
    'li',
    { 'data-testid': 'order-result' },
    [what, when, statusText(result.status), detail].filter(Boolean).join(' — '),
  );
}

/**
 * Orders (lab tests, imaging, referrals) with their results: the DiagnosticReports and
 * Procedures based on each.
 * @see https://hl7.org/fhir/R4/servicerequest.html
 */
export const orderSection: SectionSpec = {
  resourceType: 'ServiceRequest',
  title: 'Orders',
  alsoReads: ['DiagnosticReport', 'Procedure'],
  async load(source, patientId): Promise<Resource[]> {
    const [orders, reports, procedures] = await Promise.all([
      source.search('ServiceRequest', { patient: patientId }),
      source.search('DiagnosticReport', { patient: patientId }),
      source.search('Procedure', { patient: patientId }),
    ]);
    return [...orders, ...reports, ...procedures];
  },
  render(resources) {
    const results: Result[] = [
      ...ofType<DiagnosticReport>(resources, 'DiagnosticReport'),
      ...ofType<Procedure>(resources, 'Procedure'),
    ];
    return ofType<ServiceRequest>(resources, 'ServiceRequest').map((order) => {
      const outcome = resultsOf(order, results);
      return itemCard(
        'ServiceRequest',
        conceptText(order.code),
        [
          ['Ordered', dateText(order.authoredOn ?? order.occurrenceDateTime)],
          ['Kind', firstConceptText(order.category)],
          ['Status', statusText(order.status)],
          ['By', referenceText(order.requester)],
        ],
        h(
          'div',
          { class: 'order-results' },
          h('p', { class: 'item-subtitle' }, 'Results'),
          outcome.length > 0
            ? h('ul', { class: 'item-list' }, ...outcome.map(resultLine))
            : h('p', { class: 'muted' }, 'No result yet.'),
        ),
        notes(order.note),
      );
    });
  },
};
