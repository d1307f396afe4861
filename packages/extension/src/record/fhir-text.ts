import type {
  CodeableConcept,
  Coding,
  HumanName,
  Period,
  Quantity,
  Range,
  Reference,
} from '@medplum/fhirtypes';

/**
 * Plain-text renderings of FHIR data types for people: the text a record view shows for a
 * CodeableConcept, a Quantity, a date.
 */

/** A concept's `text`, else its first coding's display, else its code. */
export function conceptText(concept: CodeableConcept | undefined): string | undefined {
  if (!concept) return undefined;
  if (concept.text?.trim()) return concept.text.trim();
  return codingText(concept.coding?.find((coding) => coding.display) ?? concept.coding?.[0]);
}

/** A coding's display, else its code. */
export function codingText(coding: Coding | undefined): string | undefined {
  return coding?.display?.trim() || coding?.code;
}

/** Text of the first concept that has any. */
export function firstConceptText(concepts: CodeableConcept[] | undefined): string | undefined {
  for (const concept of concepts ?? []) {
    const text = conceptText(concept);
    if (text) return text;
  }
  return undefined;
}

/**
 * UCUM codes that read badly as written, and how people write them.
 * @see https://ucum.org/ucum
 */
const UCUM_DISPLAY: Readonly<Record<string, string>> = {
  'mm[Hg]': 'mmHg',
  '[lb_av]': 'lb',
  '[in_i]': 'in',
  Cel: '°C',
  '[degF]': '°F',
  '/min': 'per minute',
  'kg/m2': 'kg/m²',
};

/** A value and its unit: `120 mm[Hg]` prints as `120 mmHg`. */
export function quantityText(quantity: Quantity | undefined): string | undefined {
  if (quantity?.value === undefined) return undefined;
  const unit = quantity.unit ?? quantity.code;
  const shown = unit === undefined ? undefined : (UCUM_DISPLAY[unit] ?? unit);
  return shown ? `${quantity.value} ${shown}` : String(quantity.value);
}

/** A range as `low–high unit`, or one bound with `≥`/`≤`. */
export function rangeText(range: Range | undefined): string | undefined {
  const low = range?.low?.value;
  const high = range?.high?.value;
  const unit = range?.low?.unit ?? range?.high?.unit ?? '';
  const suffix = unit ? ` ${unit}` : '';
  if (low !== undefined && high !== undefined) return `${low}–${high}${suffix}`;
  if (low !== undefined) return `≥ ${low}${suffix}`;
  if (high !== undefined) return `≤ ${high}${suffix}`;
  return undefined;
}

/**
 * A FHIR date or dateTime for display. Dates alone stay as written (a birth date has no time
 * zone to convert); dateTimes show the date and time in the user's locale.
 * @see https://hl7.org/fhir/R4/datatypes.html#dateTime
 */
export function dateText(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (/^\d{4}(-\d{2}(-\d{2})?)?$/.test(value)) return value;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** A period as `start – end`, or `since start`. */
export function periodText(period: Period | undefined): string | undefined {
  const start = dateText(period?.start);
  const end = dateText(period?.end);
  if (start && end) return `${start} – ${end}`;
  if (start) return `since ${start}`;
  if (end) return `until ${end}`;
  return undefined;
}

/** A person's name: the `official` (else first) name's text, or given names then family. */
export function nameText(names: HumanName[] | undefined): string | undefined {
  const name = names?.find((candidate) => candidate.use === 'official') ?? names?.[0];
  if (!name) return undefined;
  if (name.text?.trim()) return name.text.trim();
  const parts = [...(name.given ?? []), name.family].filter((part) => part?.trim());
  return parts.length > 0 ? parts.join(' ') : undefined;
}

/** A reference's display, else its `reference` string. */
export function referenceText(reference: Reference | undefined): string | undefined {
  return reference?.display?.trim() || reference?.reference;
}
