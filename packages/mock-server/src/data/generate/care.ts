import type { CarePlan, CareTeam, Condition, Goal } from '@medplum/fhirtypes';
import { PRACTICE_ID } from '../accounts.js';
import { US_CORE_PROFILES } from '../profiles.js';
import { addDays, fhirDate, fhirDateTime } from '../reference-date.js';
import { STAFF, staffDisplay, type StaffKey } from '../shared/practice.js';
import type { RecordBuilder } from './builder.js';

const escapeHtml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** The patient's care team: their primary care clinician and, when paced, the cardiologist. */
export function addCareTeam(
  builder: RecordBuilder,
  members: readonly StaffKey[],
  since: Date,
  author: StaffKey,
) {
  return builder.add<CareTeam>(
    {
      resourceType: 'CareTeam',
      status: 'active',
      name: 'Primary care team',
      subject: builder.subject,
      period: { start: fhirDateTime(since) },
      participant: members.map((key) => ({
        role: [{ coding: [STAFF[key].specialty] }],
        member: { reference: `Practitioner/${STAFF[key].id}`, display: staffDisplay(key) },
        onBehalfOf: { reference: `Organization/${PRACTICE_ID}` },
      })),
      managingOrganization: [{ reference: `Organization/${PRACTICE_ID}` }],
    },
    { profiles: [US_CORE_PROFILES.careTeam], recorded: since, author },
  );
}

/** A goal for a chronic problem (US Core Goal), due a year after it was set. */
export function addGoal(
  builder: RecordBuilder,
  condition: Condition,
  description: string,
  set: Date,
  author: StaffKey,
) {
  return builder.add<Goal>(
    {
      resourceType: 'Goal',
      lifecycleStatus: 'active',
      achievementStatus: {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/goal-achievement',
            code: 'in-progress',
            display: 'In Progress',
          },
        ],
      },
      description: { text: description },
      subject: builder.subject,
      startDate: fhirDate(set),
      target: [{ dueDate: fhirDate(addDays(set, 365)) }],
      addresses: [{ reference: `Condition/${condition.id}` }],
    },
    { profiles: [US_CORE_PROFILES.goal], recorded: set, author },
  );
}

/**
 * The assessment-and-plan CarePlan. US Core 3.1.1 requires its narrative (`text`), which is what
 * patient apps display.
 */
export function addCarePlan(
  builder: RecordBuilder,
  conditions: readonly Condition[],
  goals: readonly Goal[],
  written: Date,
  author: StaffKey,
): CarePlan {
  const items = goals.map((goal) => `<li>${escapeHtml(goal.description.text ?? '')}</li>`).join('');
  const problems = conditions.map((c) => escapeHtml(c.code?.text ?? '')).join(', ');
  return builder.add<CarePlan>(
    {
      resourceType: 'CarePlan',
      text: {
        status: 'generated',
        div: `<div xmlns="http://www.w3.org/1999/xhtml"><p>Assessment: ${problems || 'healthy; preventive care'}.</p><p>Plan:</p><ul>${items || '<li>Annual wellness visit and age-appropriate immunizations</li>'}</ul></div>`,
      },
      status: 'active',
      intent: 'plan',
      category: [
        {
          coding: [
            {
              system: 'http://hl7.org/fhir/us/core/CodeSystem/careplan-category',
              code: 'assess-plan',
            },
          ],
        },
      ],
      title: 'Assessment and plan of treatment',
      subject: builder.subject,
      period: { start: fhirDate(written) },
      created: fhirDateTime(written),
      author: { reference: `Practitioner/${STAFF[author].id}` },
      addresses: conditions.map((c) => ({ reference: `Condition/${c.id}` })),
      goal: goals.map((g) => ({ reference: `Goal/${g.id}` })),
    },
    { profiles: [US_CORE_PROFILES.carePlan], recorded: written, author },
  );
}
