import type {
  CodeableConcept,
  Condition,
  Encounter,
  ServiceRequest,
  Specimen,
} from '@medplum/fhirtypes';
import { PRACTICE_ID } from '../accounts.js';
import { addDays, fhirDateTime } from '../reference-date.js';
import { STAFF, staffDisplay, type StaffKey } from '../shared/practice.js';
import type { ProcedureKey } from '../terminology/encounters.js';
import { code, type Code } from '../terminology/systems.js';
import type { RecordBuilder } from './builder.js';

/** SNOMED CT categories of `ServiceRequest.category` (R4's example binding). */
const ORDER_CATEGORIES = {
  laboratory: code('snomed', '108252007', 'Laboratory procedure'),
  diagnostic: code('snomed', '103693007', 'Diagnostic procedure'),
  surgical: code('snomed', '387713003', 'Surgical procedure'),
  counselling: code('snomed', '409063005', 'Counselling'),
} as const satisfies Record<string, Code>;

const PROCEDURE_CATEGORY: Readonly<Record<ProcedureKey, keyof typeof ORDER_CATEGORIES>> = {
  medicationReconciliation: 'counselling',
  depressionScreening: 'diagnostic',
  throatCulture: 'laboratory',
  spirometry: 'diagnostic',
  electrocardiogram: 'diagnostic',
  pacemakerInsertion: 'surgical',
};

/** What the order is for: a lab panel (LOINC) or a procedure (SNOMED CT or CPT). */
export interface OrderSubject {
  code: Code;
  category: keyof typeof ORDER_CATEGORIES;
}

/** The category of the order behind a procedure of {@link PROCEDURE_CATEGORY}. */
export function procedureOrderCategory(key: ProcedureKey): OrderSubject['category'] {
  return PROCEDURE_CATEGORY[key];
}

/**
 * The order behind a lab panel or a procedure, fulfilled at the visit (base R4 ServiceRequest:
 * US Core 3.1.1 has no profile for it). Its placer identifier is the practice's order number.
 */
export function addServiceRequest(
  builder: RecordBuilder,
  subject: OrderSubject,
  encounter: Encounter,
  author: StaffKey,
  reason?: Condition,
): ServiceRequest {
  const ordered = new Date(encounter.period?.start ?? '');
  const concept: CodeableConcept = { coding: [subject.code], text: subject.code.display };
  return builder.add<ServiceRequest>(
    {
      resourceType: 'ServiceRequest',
      identifier: [
        {
          type: {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/v2-0203',
                code: 'PLAC',
                display: 'Placer Identifier',
              },
            ],
          },
          system: `urn:oid:2.16.840.1.113883.3.${PRACTICE_ID}.1`,
          value: `ORD${builder.faker.string.numeric(8)}`,
        },
      ],
      status: 'completed',
      intent: 'order',
      category: [{ coding: [ORDER_CATEGORIES[subject.category]] }],
      priority: 'routine',
      code: concept,
      subject: builder.subject,
      encounter: { reference: `Encounter/${encounter.id}` },
      occurrenceDateTime: fhirDateTime(ordered),
      authoredOn: fhirDateTime(ordered),
      requester: { reference: `Practitioner/${STAFF[author].id}`, display: staffDisplay(author) },
      ...(reason ? { reasonReference: [{ reference: `Condition/${reason.id}` }] } : {}),
    },
    { recorded: ordered, author },
  );
}

const SPECIMENS = {
  blood: {
    type: code('snomed', '119297000', 'Blood specimen (specimen)'),
    text: 'Venous blood',
    method: code('snomed', '28520004', 'Venipuncture (procedure)'),
    site: code('snomed', '368208006', 'Left upper arm structure (body structure)'),
  },
  throatSwab: {
    type: code('snomed', '258529004', 'Throat swab (specimen)'),
    text: 'Throat swab',
    method: code('snomed', '225113003', 'Collection of specimen by swab (procedure)'),
    site: code('snomed', '54066008', 'Pharyngeal structure (body structure)'),
  },
} as const satisfies Record<string, { type: Code; text: string; method: Code; site: Code }>;

/**
 * The sample an order was run on (base R4 Specimen): venous blood for a lab panel, a swab for a
 * throat culture, collected at the visit and received by the lab an hour later.
 */
export function addSpecimen(
  builder: RecordBuilder,
  kind: keyof typeof SPECIMENS,
  order: ServiceRequest,
  collected: Date,
  author: StaffKey,
): Specimen {
  const specimen = SPECIMENS[kind];
  return builder.add<Specimen>(
    {
      resourceType: 'Specimen',
      accessionIdentifier: {
        system: `urn:oid:2.16.840.1.113883.3.${PRACTICE_ID}.2`,
        value: `S${builder.faker.string.numeric(9)}`,
      },
      status: 'available',
      type: { coding: [specimen.type], text: specimen.text },
      subject: builder.subject,
      receivedTime: fhirDateTime(addDays(collected, 1 / 24)),
      request: [{ reference: `ServiceRequest/${order.id}` }],
      collection: {
        collector: { reference: `Practitioner/${STAFF[author].id}` },
        collectedDateTime: fhirDateTime(collected),
        method: { coding: [specimen.method] },
        bodySite: { coding: [specimen.site] },
      },
    },
    { recorded: collected, author },
  );
}
