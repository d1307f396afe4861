import type { Observation, Resource } from '@medplum/fhirtypes';
import { h } from './dom.js';
import { conceptText, dateText, quantityText } from './fhir-text.js';
import { itemCard } from './item-card.js';
import { ofType, type SectionSpec } from './section.js';
import { trendChart, type TrendPoint } from './trend-chart.js';

/**
 * LOINC codes of the US Core vital-signs profiles charted here.
 * @see https://hl7.org/fhir/us/core/STU3.1.1/StructureDefinition-us-core-vital-signs.html
 */
export const LOINC = {
  bloodPressure: '85354-9',
  systolic: '8480-6',
  diastolic: '8462-4',
  bodyWeight: '29463-7',
  bmi: '39156-5',
} as const;

function hasCode(codes: { coding?: { code?: string }[] } | undefined, code: string): boolean {
  return codes?.coding?.some((coding) => coding.code === code) ?? false;
}

function isCategory(observation: Observation, code: string): boolean {
  return observation.category?.some((category) => hasCode(category, code)) ?? false;
}

function effectiveTime(observation: Observation): number | undefined {
  const when = observation.effectiveDateTime ?? observation.effectivePeriod?.start;
  const time = when ? Date.parse(when) : Number.NaN;
  return Number.isNaN(time) ? undefined : time;
}

/** Points of one LOINC code, from the observation itself or one of its components. */
function series(observations: Observation[], code: string): TrendPoint[] {
  const points: TrendPoint[] = [];
  for (const observation of observations) {
    const time = effectiveTime(observation);
    if (time === undefined) continue;
    const quantity = hasCode(observation.code, code)
      ? observation.valueQuantity
      : observation.component?.find((component) => hasCode(component.code, code))?.valueQuantity;
    if (quantity?.value !== undefined) points.push({ time, value: quantity.value });
  }
  return points;
}

/** The reading as text: a blood pressure prints as `120/80 mmHg`. */
function readingText(observation: Observation): string | undefined {
  if (hasCode(observation.code, LOINC.bloodPressure)) {
    const part = (code: string) =>
      observation.component?.find((component) => hasCode(component.code, code))?.valueQuantity;
    const systolic = part(LOINC.systolic);
    const diastolic = part(LOINC.diastolic);
    if (systolic?.value !== undefined && diastolic?.value !== undefined) {
      return `${systolic.value}/${diastolic.value} mmHg`;
    }
  }
  return (
    quantityText(observation.valueQuantity) ??
    observation.valueString ??
    conceptText(observation.valueCodeableConcept) ??
    observation.component
      ?.map(
        (component) =>
          `${conceptText(component.code)}: ${quantityText(component.valueQuantity) ?? '—'}`,
      )
      .join('; ')
  );
}

function newestFirst(observations: Observation[]): Observation[] {
  return [...observations].sort((a, b) => (effectiveTime(b) ?? 0) - (effectiveTime(a) ?? 0));
}

/** Vital signs, newest first, with trend charts of blood pressure, weight and BMI. */
export const vitalSignsSection: SectionSpec = {
  resourceType: 'Observation',
  title: 'Vital signs',
  async load(source, patientId): Promise<Resource[]> {
    const found = await source.search('Observation', {
      patient: patientId,
      category: 'vital-signs',
    });
    // A server may ignore `category`; keep only what is really a vital sign.
    return ofType<Observation>(found, 'Observation').filter((item) =>
      isCategory(item, 'vital-signs'),
    );
  },
  summary(resources) {
    const observations = ofType<Observation>(resources, 'Observation');
    const charts = [
      trendChart('Blood pressure', 'mmHg', [
        { label: 'systolic', points: series(observations, LOINC.systolic) },
        { label: 'diastolic', points: series(observations, LOINC.diastolic) },
      ]),
      trendChart(
        'Weight',
        observations.find((item) => hasCode(item.code, LOINC.bodyWeight))?.valueQuantity?.unit ??
          'kg',
        [{ label: 'weight', points: series(observations, LOINC.bodyWeight) }],
      ),
      trendChart('BMI', 'kg/m²', [{ label: 'BMI', points: series(observations, LOINC.bmi) }]),
    ].filter((chart): chart is HTMLElement => chart !== null);
    return charts.length > 0 ? h('div', { class: 'trends' }, ...charts) : null;
  },
  render: (resources) =>
    newestFirst(ofType<Observation>(resources, 'Observation')).map((observation) =>
      itemCard('Observation', conceptText(observation.code), [
        ['Reading', readingText(observation)],
        ['When', dateText(observation.effectiveDateTime ?? observation.effectivePeriod?.start)],
      ]),
    ),
};
