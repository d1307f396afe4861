import type { Resource } from '@medplum/fhirtypes';
import { FhirError, parseScopes, resourceAccess } from '@patient-access/auth-core';
import { describeError } from '../error-text.js';
import { h } from './dom.js';
import type { RecordSource, SectionContext, SectionSpec } from './section.js';

/** What {@link renderSections} needs. */
export interface SectionsInput {
  source: RecordSource;
  patientId: string;
  /** The granted `scope` of the token: a type it does not grant is shown as not shared. */
  grantedScope: string;
  sections: readonly SectionSpec[];
  context: SectionContext;
  /** Entries shown per section before a "Show all" button (all are in the DOM, the rest hidden). */
  itemLimit?: number;
}

/** The rendered sections and what they loaded. */
export interface RenderedSections {
  /** Settles when every section has finished loading, successfully or not. */
  settled: Promise<void>;
  /** Every resource loaded so far, across sections. */
  resources(): Resource[];
}

/**
 * Renders one `<section>` per spec into `root`, each loading on its own: a progress state while
 * it loads, an empty state, or an error with a retry that reloads that section only.
 */
export function renderSections(root: HTMLElement, input: SectionsInput): RenderedSections {
  const loaded = new Map<string, Resource[]>();
  const scopes = parseScopes(input.grantedScope);
  const runs = input.sections.map((spec) => {
    const headingId = `heading-${spec.resourceType}`;
    const body = h('div', { class: 'section-body' });
    const section = h(
      'section',
      {
        class: 'record-section',
        'data-testid': `section-${spec.resourceType}`,
        'aria-labelledby': headingId,
      },
      h('h2', { id: headingId }, spec.title),
      body,
    );
    root.append(section);
    if (!resourceAccess(scopes, spec.resourceType, 'search').allowed) {
      section.dataset.state = 'not-shared';
      body.replaceChildren(notShared());
      return Promise.resolve();
    }
    const load = async (): Promise<void> => {
      section.dataset.state = 'loading';
      delete section.dataset.count;
      section.setAttribute('aria-busy', 'true');
      body.replaceChildren(
        h(
          'p',
          { class: 'muted', role: 'status' },
          h('span', { class: 'spinner', 'aria-hidden': 'true' }),
          'Loading…',
        ),
      );
      try {
        const resources = await spec.load(input.source, input.patientId);
        loaded.set(spec.resourceType, resources);
        const items = spec.render(resources, input.context);
        section.dataset.state = items.length > 0 ? 'loaded' : 'empty';
        section.dataset.count = String(items.length);
        body.replaceChildren(
          ...(items.length > 0
            ? [
                spec.summary?.(resources) ?? '',
                h('ul', { class: 'items', id: `items-${spec.resourceType}` }, ...items),
                showAll(spec, items, input.itemLimit) ?? '',
              ]
            : [h('p', { class: 'muted empty' }, 'Nothing recorded.')]),
        );
      } catch (error) {
        if (error instanceof FhirError && error.notAuthorized) {
          section.dataset.state = 'not-shared';
          body.replaceChildren(notShared());
          return;
        }
        section.dataset.state = 'error';
        const retry = h('button', { type: 'button', class: 'secondary' }, 'Try again');
        retry.addEventListener('click', () => void load());
        body.replaceChildren(
          h(
            'p',
            { class: 'section-error', role: 'alert', 'data-testid': 'section-error' },
            describeError(error).message,
            ' ',
            retry,
          ),
        );
      } finally {
        section.removeAttribute('aria-busy');
      }
    };
    return load();
  });
  return {
    settled: Promise.all(runs).then(() => undefined),
    resources: () => [...loaded.values()].flat(),
  };
}

/** Hides the entries past `limit` behind a button that reveals them. */
function showAll(
  spec: SectionSpec,
  items: HTMLElement[],
  limit: number | undefined,
): HTMLElement | undefined {
  if (limit === undefined || items.length <= limit) return undefined;
  const hidden = items.slice(limit);
  for (const item of hidden) item.hidden = true;
  const toggle = h(
    'button',
    {
      type: 'button',
      class: 'link-button show-all',
      'aria-expanded': 'false',
      'aria-controls': `items-${spec.resourceType}`,
    },
    `Show all ${items.length} ${spec.title.toLowerCase()}`,
  );
  toggle.addEventListener('click', () => {
    for (const item of hidden) item.hidden = false;
    toggle.remove();
    hidden[0]?.querySelector<HTMLElement>('.item-title')?.setAttribute('tabindex', '-1');
    hidden[0]?.querySelector<HTMLElement>('.item-title')?.focus();
  });
  return toggle;
}

function notShared(): HTMLElement {
  return h('p', { class: 'muted not-shared' }, 'Not shared with this app.');
}
