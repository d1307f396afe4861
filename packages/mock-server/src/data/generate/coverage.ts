import type { Coverage, Patient, Reference, RelatedPerson } from '@medplum/fhirtypes';
import { ageInYears, daysAgo, fhirDate } from '../reference-date.js';
import { PAYERS, type PayerKey } from '../shared/payers.js';
import type { StaffKey } from '../shared/practice.js';
import type { RecordBuilder } from './builder.js';

/** Who holds the policy, relative to the record's patient. */
export interface Subscriber {
  reference: Reference<Patient | RelatedPerson>;
  /** The policy holder's member id, which dependants share with their own suffix. */
  subscriberId: string;
  relationship: 'self' | 'spouse' | 'child';
}

const DEPENDENT: Readonly<Record<Subscriber['relationship'], string>> = {
  self: '01',
  spouse: '02',
  child: '03',
};

/**
 * The patient's health insurance (base R4 Coverage: US Core 3.1.1 has no profile): the payer,
 * the group and plan, the member id on the card and the period.
 */
export function addCoverage(
  builder: RecordBuilder,
  payerKey: PayerKey,
  subscriber: Subscriber,
  since: Date,
  author: StaffKey,
): Coverage {
  const payer = PAYERS[payerKey];
  const dependent = DEPENDENT[subscriber.relationship];
  return builder.add<Coverage>(
    {
      resourceType: 'Coverage',
      identifier: [
        {
          type: {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/v2-0203',
                code: 'MB',
                display: 'Member Number',
              },
            ],
          },
          system: payer.memberIdSystem,
          // A Medicare Beneficiary Identifier is each beneficiary's own: no dependent suffix.
          value:
            payerKey === 'medicare'
              ? subscriber.subscriberId
              : `${subscriber.subscriberId}-${dependent}`,
        },
      ],
      status: 'active',
      type: {
        coding: [{ system: 'https://nahdo.org/sopt', ...payer.sopt }],
        text: payer.sopt.display,
      },
      subscriber: subscriber.reference,
      subscriberId: subscriber.subscriberId,
      beneficiary: builder.subject,
      dependent,
      relationship: {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/subscriber-relationship',
            code: subscriber.relationship,
          },
        ],
      },
      period: { start: fhirDate(since) },
      payor: [{ reference: `Organization/${payer.id}`, display: payer.name }],
      class: [
        {
          type: {
            coding: [
              { system: 'http://terminology.hl7.org/CodeSystem/coverage-class', code: 'group' },
            ],
          },
          value: `G${payer.identifier.value.replace(/\D/g, '').padStart(5, '0')}`,
          name: `${payer.name} group plan`,
        },
        {
          type: {
            coding: [
              { system: 'http://terminology.hl7.org/CodeSystem/coverage-class', code: 'plan' },
            ],
          },
          value: payer.plan.replace(/\W+/g, '-').toUpperCase(),
          name: payer.plan,
        },
      ],
    },
    { recorded: since, author },
  );
}

/**
 * A synthetic patient's own policy: Medicare from 65 (its member id shaped like an MBI),
 * otherwise one of the commercial plans, since the start of a recent year.
 */
export function addSyntheticCoverage(
  builder: RecordBuilder,
  birthDate: string,
  author: StaffKey,
): Coverage {
  const { faker } = builder;
  const senior = ageInYears(birthDate, daysAgo(0)) >= 65;
  const payer: PayerKey = senior
    ? 'medicare'
    : faker.helpers.arrayElement(['loneStar', 'bluebonnet'] as const);
  const subscriberId = senior
    ? faker.helpers.replaceSymbols('#?##?##?##').toUpperCase()
    : `${payer === 'loneStar' ? 'LSH' : 'BBH'}${faker.string.numeric(9)}`;
  const year = daysAgo(0).getUTCFullYear() - faker.number.int({ min: 0, max: 6 });
  return addCoverage(
    builder,
    payer,
    { reference: builder.subject, subscriberId, relationship: 'self' },
    new Date(Date.UTC(year, 0, 1, 12)),
    author,
  );
}
