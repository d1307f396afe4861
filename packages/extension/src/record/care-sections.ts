import type { CarePlan, CareTeam, Device, Goal } from '@medplum/fhirtypes';
import { h } from './dom.js';
import {
  conceptText,
  dateText,
  firstConceptText,
  periodText,
  quantityText,
  referenceText,
} from './fhir-text.js';
import { itemCard, notes, statusText } from './item-card.js';
import { ofType, type SectionSpec } from './section.js';

/** The people looking after the patient. */
export const careTeamSection: SectionSpec = {
  resourceType: 'CareTeam',
  title: 'Care team',
  load: (source, patientId) => source.search('CareTeam', { patient: patientId }),
  render: (resources) =>
    ofType<CareTeam>(resources, 'CareTeam').map((team) =>
      itemCard(
        'CareTeam',
        team.name ?? firstConceptText(team.category) ?? 'Care team',
        [
          ['Status', statusText(team.status)],
          ['Period', periodText(team.period)],
        ],
        team.participant?.length
          ? h(
              'ul',
              { class: 'item-list' },
              ...team.participant.map((participant) =>
                h(
                  'li',
                  {},
                  [referenceText(participant.member), firstConceptText(participant.role)]
                    .filter(Boolean)
                    .join(' — '),
                ),
              ),
            )
          : null,
        notes(team.note),
      ),
    ),
};

/** Care plans and their planned activities. */
export const carePlanSection: SectionSpec = {
  resourceType: 'CarePlan',
  title: 'Care plans',
  // NextGen's Swagger makes `category` required on CarePlan searches (US Core's patient+category
  // search), and the server answers 400 without it; assess-plan is US Core's care plan category.
  // https://hl7.org/fhir/us/core/STU3.1.1/StructureDefinition-us-core-careplan.html
  load: (source, patientId) =>
    source.search('CarePlan', { patient: patientId, category: 'assess-plan' }),
  render: (resources) =>
    ofType<CarePlan>(resources, 'CarePlan').map((plan) =>
      itemCard(
        'CarePlan',
        plan.title ?? firstConceptText(plan.category) ?? 'Care plan',
        [
          ['Status', statusText(plan.status)],
          ['Intent', statusText(plan.intent)],
          ['Period', periodText(plan.period)],
          ['About', plan.description],
        ],
        plan.activity?.length
          ? h(
              'ul',
              { class: 'item-list' },
              ...plan.activity.map((activity) =>
                h(
                  'li',
                  {},
                  conceptText(activity.detail?.code) ??
                    activity.detail?.description ??
                    referenceText(activity.reference) ??
                    'Planned activity',
                ),
              ),
            )
          : null,
        notes(plan.note),
      ),
    ),
};

/** Health goals and their targets. */
export const goalSection: SectionSpec = {
  resourceType: 'Goal',
  title: 'Goals',
  load: (source, patientId) => source.search('Goal', { patient: patientId }),
  render: (resources) =>
    ofType<Goal>(resources, 'Goal').map((goal) => {
      const target = goal.target?.[0];
      return itemCard(
        'Goal',
        conceptText(goal.description),
        [
          ['Status', statusText(goal.lifecycleStatus)],
          ['Progress', statusText(conceptText(goal.achievementStatus))],
          ['Target', quantityText(target?.detailQuantity) ?? target?.detailString],
          ['Due', dateText(target?.dueDate)],
          ['Started', dateText(goal.startDate)],
        ],
        notes(goal.note),
      );
    }),
};

/** Implanted and other devices. */
export const deviceSection: SectionSpec = {
  resourceType: 'Device',
  title: 'Devices',
  load: (source, patientId) => source.search('Device', { patient: patientId }),
  render: (resources) =>
    ofType<Device>(resources, 'Device').map((device) =>
      itemCard(
        'Device',
        conceptText(device.type) ?? device.deviceName?.[0]?.name,
        [
          ['Status', statusText(device.status)],
          ['Device identifier (UDI)', device.udiCarrier?.[0]?.deviceIdentifier],
          ['UDI', device.udiCarrier?.[0]?.carrierHRF],
          ['Expires', dateText(device.expirationDate)],
        ],
        notes(device.note),
      ),
    ),
};
