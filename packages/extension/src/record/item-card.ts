import type { Annotation } from '@medplum/fhirtypes';
import { h, type Child } from './dom.js';

/** A detail line of an entry: a label and its value, left out when the value is missing. */
export type Detail = readonly [label: string, value: string | undefined];

/**
 * The common shape of a record entry: a title, labelled details as a description list, notes,
 * and any extra content. Every string is set as text.
 */
export function itemCard(
  resourceType: string,
  title: string | undefined,
  details: readonly Detail[],
  ...extra: Child[]
): HTMLLIElement {
  const shown = details.filter(([, value]) => value !== undefined && value !== '');
  return h(
    'li',
    { class: 'item', 'data-testid': `item-${resourceType}` },
    h('h3', { class: 'item-title' }, title ?? 'Unnamed entry'),
    shown.length > 0
      ? h(
          'dl',
          { class: 'item-details' },
          ...shown.flatMap(([label, value]) => [h('dt', {}, label), h('dd', {}, value)]),
        )
      : null,
    ...extra,
  );
}

/** Free-text notes (`Annotation.text`), one paragraph each. */
export function notes(annotations: Annotation[] | undefined): HTMLElement | null {
  const texts = (annotations ?? []).map((note) => note.text?.trim()).filter(Boolean);
  if (texts.length === 0) return null;
  return h('div', { class: 'item-notes' }, ...texts.map((text) => h('p', {}, text)));
}

/** A status such as `active` or `resolved` as a small badge. */
export function statusText(status: string | undefined): string | undefined {
  return status ? status.replace(/-/g, ' ') : undefined;
}
