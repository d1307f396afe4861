import { describe, expect, test } from 'vitest';
import { convertXmlToCcda, type CcdaEntry } from '@medplum/ccda';
import { renderCcda } from './render.js';
import { davidsRecord, withPendingOrders } from './test-support/pending-orders.js';

const record = davidsRecord();

const planEntries = (): CcdaEntry[] =>
  (convertXmlToCcda(renderCcda(withPendingOrders())).component?.structuredBody.component ?? [])
    .flatMap((component) => component.section)
    .find((section) => section.code?.['@_code'] === '18776-5')?.entry ?? [];

const plannedBy = (id: string) =>
  planEntries().find((entry) =>
    [...(entry.procedure ?? []), ...(entry.observation ?? [])].some((planned) =>
      [planned.id ?? []].flat().some((ccdaId) => ccdaId['@_extension'] === id),
    ),
  );

const templatesOf = (entry: CcdaEntry | undefined) =>
  [...(entry?.procedure ?? []), ...(entry?.observation ?? [])].flatMap((planned) =>
    [planned.templateId ?? []].flat().map((template) => template['@_root']),
  );

describe('the Plan of Treatment', () => {
  test('lists a pending laboratory order as a Planned Observation', () => {
    const entry = plannedBy('pending-1');
    expect(entry?.observation?.[0]?.['@_moodCode']).toBe('RQO');
    expect(templatesOf(entry)).toContain('2.16.840.1.113883.10.20.22.4.44');
  });

  test('lists a pending surgery coded in CPT as a Planned Procedure', () => {
    const entry = plannedBy('pending-2');
    expect(entry?.procedure?.[0]?.code['@_code']).toBe('33208');
    expect(templatesOf(entry)).toContain('2.16.840.1.113883.10.20.22.4.41');
  });

  test('dates a pending order by when it is planned, not when it was ordered', () => {
    const planned = plannedBy('pending-3')?.procedure?.[0];
    expect([planned?.effectiveTime ?? []].flat()[0]?.['@_value']).toBe('20260201090000+0000');
  });

  test("carries the order's priority and who ordered it", () => {
    const planned = plannedBy('pending-2')?.procedure?.[0] as
      { priorityCode?: { '@_code'?: string }; author?: unknown } | undefined;
    expect(planned?.priorityCode?.['@_code']).toBe('UR');
    expect(planned?.author).toBeDefined();
  });

  test('leaves completed orders out: they are results and procedures already', () => {
    const ids = planEntries().flatMap((entry) =>
      [...(entry.procedure ?? []), ...(entry.observation ?? [])].flatMap((planned) =>
        [planned.id ?? []].flat().map((ccdaId) => ccdaId['@_extension']),
      ),
    );
    expect(ids.filter((id) => id?.startsWith('pending-'))).toHaveLength(3);
    const completed = record.filter((resource) => resource.resourceType === 'ServiceRequest');
    for (const order of completed) expect(ids).not.toContain(order.id);
  });
});
