import type {
  DiagnosticReport,
  Observation,
  Reference,
  Resource,
  Specimen,
} from '@medplum/fhirtypes';
import { h } from './dom.js';
import {
  codingText,
  conceptText,
  dateText,
  quantityText,
  rangeText,
  referenceText,
} from './fhir-text.js';
import { itemCard, statusText } from './item-card.js';
import { ofType, type SectionSpec } from './section.js';

/**
 * Words for the HL7 v3 ObservationInterpretation codes a lab sends.
 * @see https://terminology.hl7.org/CodeSystem-v3-ObservationInterpretation.html
 */
const INTERPRETATIONS: Readonly<Record<string, string>> = {
  H: 'High',
  HH: 'Critically high',
  L: 'Low',
  LL: 'Critically low',
  A: 'Abnormal',
  AA: 'Critically abnormal',
  N: 'Normal',
};

/** The abnormal flag of a result: its interpretation, else a value outside its reference range. */
export function abnormalFlag(observation: Observation): string | undefined {
  const coding = observation.interpretation?.flatMap((concept) => concept.coding ?? [])[0];
  if (coding?.code) {
    return coding.code === 'N' ? undefined : (INTERPRETATIONS[coding.code] ?? codingText(coding));
  }
  const value = observation.valueQuantity?.value;
  const range = observation.referenceRange?.[0];
  if (value === undefined || !range) return undefined;
  if (range.low?.value !== undefined && value < range.low.value) return 'Low';
  if (range.high?.value !== undefined && value > range.high.value) return 'High';
  return undefined;
}

function resultTable(observations: Observation[]): HTMLTableElement {
  return h(
    'table',
    { class: 'results' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Test'),
        h('th', { scope: 'col' }, 'Result'),
        h('th', { scope: 'col' }, 'Reference range'),
        h('th', { scope: 'col' }, 'Flag'),
      ),
    ),
    h(
      'tbody',
      {},
      ...observations.map((observation) => {
        const flag = abnormalFlag(observation);
        return h(
          'tr',
          { class: flag ? 'abnormal' : undefined },
          h('th', { scope: 'row' }, conceptText(observation.code) ?? 'Result'),
          h(
            'td',
            {},
            quantityText(observation.valueQuantity) ??
              observation.valueString ??
              conceptText(observation.valueCodeableConcept) ??
              '—',
          ),
          h(
            'td',
            {},
            rangeText(observation.referenceRange?.[0]) ??
              observation.referenceRange?.[0]?.text ??
              '',
          ),
          h('td', {}, flag ? h('strong', { class: 'flag' }, flag) : ''),
        );
      }),
    ),
  );
}

/** Lab results, grouped by the DiagnosticReport that reports them. */
export const labResultsSection: SectionSpec = {
  resourceType: 'DiagnosticReport',
  title: 'Lab results',
  alsoReads: ['Observation', 'Specimen'],
  async load(source, patientId): Promise<Resource[]> {
    const [reports, observations, specimens] = await Promise.all([
      source.search('DiagnosticReport', { patient: patientId }),
      source.search('Observation', { patient: patientId, category: 'laboratory' }),
      source.search('Specimen', { patient: patientId }),
    ]);
    return [...reports, ...observations, ...specimens];
  },
  render(resources) {
    const observations = new Map(
      ofType<Observation>(resources, 'Observation').map((item) => [`Observation/${item.id}`, item]),
    );
    const specimens = new Map(
      ofType<Specimen>(resources, 'Specimen').map((item) => [`Specimen/${item.id}`, item]),
    );
    const reported = new Set<string>();
    const items = ofType<DiagnosticReport>(resources, 'DiagnosticReport').map((report) => {
      const results = (report.result ?? []).flatMap((reference) => {
        const observation = observations.get(reference.reference ?? '');
        if (observation) reported.add(reference.reference ?? '');
        return observation ? [observation] : [];
      });
      return itemCard(
        'DiagnosticReport',
        conceptText(report.code),
        [
          ['Date', dateText(report.effectiveDateTime ?? report.issued)],
          ['Status', statusText(report.status)],
          ['Conclusion', report.conclusion],
          ['Specimen', specimenText(report.specimen ?? [], specimens)],
        ],
        results.length > 0 ? resultTable(results) : null,
      );
    });
    const loose = [...observations].filter(([key]) => !reported.has(key)).map(([, item]) => item);
    if (loose.length > 0) {
      items.push(
        h(
          'li',
          { class: 'item' },
          h('h3', { class: 'item-title' }, 'Results not in a report'),
          resultTable(loose),
        ),
      );
    }
    return items;
  },
};

/**
 * The specimens a report was made on: type and collection date, or the reference's display when
 * the Specimen was not among those read.
 * @see https://hl7.org/fhir/R4/specimen.html
 */
function specimenText(
  references: readonly Reference[],
  specimens: ReadonlyMap<string, Specimen>,
): string | undefined {
  const texts = references.map((reference) => {
    const specimen = specimens.get(reference.reference ?? '');
    if (!specimen) return referenceText(reference);
    const collected = dateText(
      specimen.collection?.collectedDateTime ?? specimen.collection?.collectedPeriod?.start,
    );
    return [conceptText(specimen.type) ?? 'Specimen', collected ? `collected ${collected}` : '']
      .filter(Boolean)
      .join(', ');
  });
  return texts.filter(Boolean).join('; ') || undefined;
}
