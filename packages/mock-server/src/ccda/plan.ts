import {
  mapFhirToCcdaDateTime,
  type CcdaAuthor,
  type CcdaCode,
  type CcdaEffectiveTime,
  type CcdaEntry,
  type CcdaId,
  type CcdaSection,
  type CcdaTemplateId,
  type CcdaText,
} from '@medplum/ccda';
import type { CarePlan, Resource, ServiceRequest } from '@medplum/fhirtypes';
import { resourcesById } from './document-bundle.js';
import type { Resolve } from './narrative.js';
import { authorOf } from './participants.js';

const LOINC = '2.16.840.1.113883.6.1';
const PLANNED_ACT = '2.16.840.1.113883.10.20.22.4.39';
const PLANNED_PROCEDURE = '2.16.840.1.113883.10.20.22.4.41';
const PLANNED_OBSERVATION = '2.16.840.1.113883.10.20.22.4.44';
const ACT_PRIORITY = '2.16.840.1.113883.5.7';
const LABORATORY_PROCEDURE = '108252007';

// FHIR's request priority as CDA's ActPriority.
const PRIORITIES: Record<string, { code: string; display: string }> = {
  routine: { code: 'R', display: 'Routine' },
  urgent: { code: 'UR', display: 'Urgent' },
  asap: { code: 'A', display: 'ASAP' },
  stat: { code: 'S', display: 'Stat' },
};

/** A planned entry as both medplum writes it (procedure or observation) and CDA orders it. */
interface PlannedOrder {
  '@_classCode': string;
  '@_moodCode': string;
  templateId: CcdaTemplateId[];
  id?: CcdaId[];
  code?: CcdaCode;
  text?: CcdaText;
  statusCode?: CcdaCode;
  effectiveTime?: CcdaEffectiveTime[];
  priorityCode?: CcdaCode;
  author?: CcdaAuthor[];
}

/**
 * A pending order as a Planned Procedure or a Planned Observation (C-CDA R2.1, `RQO` mood, status
 * `active`). medplum 4.5.2 picks the template by the code's system (a CPT-coded surgery became an
 * observation), asserts only the R1.1 Planned Observation template, and dates a planned procedure
 * by when it was ordered; here the order's category decides (laboratory orders are observations),
 * both templates are asserted, and the entry carries when it is planned, its priority and who
 * ordered it.
 * @see https://www.hl7.org/ccdasearch/templates/2.16.840.1.113883.10.20.22.4.41.html
 * @see https://www.hl7.org/ccdasearch/templates/2.16.840.1.113883.10.20.22.4.44.html
 */
function plannedOrderEntry(
  converted: PlannedOrder,
  order: ServiceRequest,
  resolve: Resolve,
): CcdaEntry {
  const laboratory =
    order.category?.some((category) =>
      category.coding?.some((coding) => coding.code === LABORATORY_PROCEDURE),
    ) === true;
  const template = laboratory ? PLANNED_OBSERVATION : PLANNED_PROCEDURE;
  const when = order.occurrenceDateTime ?? order.occurrencePeriod?.start ?? order.authoredOn;
  const priority = PRIORITIES[order.priority ?? ''];
  const requester = resolve(order.requester);
  const entry: PlannedOrder = {
    '@_classCode': laboratory ? 'OBS' : 'PROC',
    '@_moodCode': 'RQO',
    templateId: [{ '@_root': template }, { '@_root': template, '@_extension': '2014-06-09' }],
    id: converted.id,
    code: converted.code,
    text: order.note?.[0]?.text === undefined ? undefined : { '#text': order.note[0].text },
    // A planned entry's status is `active` (CONF:1098-30447, CONF:1098-30453).
    statusCode: { '@_code': 'active' },
    effectiveTime: when === undefined ? undefined : [{ '@_value': mapFhirToCcdaDateTime(when) }],
    priorityCode:
      priority === undefined
        ? undefined
        : {
            '@_code': priority.code,
            '@_codeSystem': ACT_PRIORITY,
            '@_codeSystemName': 'ActPriority',
            '@_displayName': priority.display,
          },
    author:
      requester?.resourceType === 'Practitioner'
        ? [authorOf(requester, order.authoredOn)]
        : undefined,
  };
  return laboratory
    ? ({ observation: [entry] } as CcdaEntry)
    : ({ procedure: [entry] } as CcdaEntry);
}

/**
 * A Planned Act for a care plan in force: the plan of care, its title, status and period.
 * @see https://www.hl7.org/ccdasearch/templates/2.16.840.1.113883.10.20.22.4.39.html
 */
function plannedActEntry(plan: CarePlan): CcdaEntry {
  return {
    act: [
      {
        '@_classCode': 'ACT',
        '@_moodCode': 'INT',
        templateId: [
          { '@_root': PLANNED_ACT },
          { '@_root': PLANNED_ACT, '@_extension': '2014-06-09' },
        ],
        id: [{ '@_root': plan.id ?? 'care-plan' }],
        code: {
          '@_code': '18776-5',
          '@_codeSystem': LOINC,
          '@_codeSystemName': 'LOINC',
          '@_displayName': 'Plan of care note',
          originalText: plan.title === undefined ? undefined : { '#text': plan.title },
        },
        text: { '#text': plan.description ?? plan.title ?? 'Plan of care' },
        statusCode: { '@_code': plan.status === 'active' ? 'active' : 'new' },
        effectiveTime:
          plan.period?.start === undefined
            ? undefined
            : [{ low: { '@_value': mapFhirToCcdaDateTime(plan.period.start) } }],
      },
    ],
  };
}

/**
 * Completes the Plan of Treatment: medplum's entries for pending orders corrected, and a Planned
 * Act for each care plan in force (medplum maps completed ones only, as instructions).
 */
export function completePlan(
  section: CcdaSection,
  members: readonly Resource[],
  resolve: Resolve,
): void {
  const orders = resourcesById(members, 'ServiceRequest');
  const entries = (section.entry ?? []).map((entry) => {
    const converted = (entry.procedure?.[0] ?? entry.observation?.[0]) as PlannedOrder | undefined;
    const order = orders.get(converted?.id?.[0]?.['@_root']);
    return converted === undefined || order === undefined
      ? entry
      : plannedOrderEntry(converted, order, resolve);
  });
  const planned = members
    .filter((resource): resource is CarePlan => resource.resourceType === 'CarePlan')
    .filter((plan) => plan.status !== 'completed')
    .map(plannedActEntry);
  section.entry = [...entries, ...planned];
  if (section.entry.length > 0) delete section['@_nullFlavor'];
}
