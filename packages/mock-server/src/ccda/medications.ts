import {
  mapCodeableConceptToCcdaCode,
  mapFhirToCcdaDateTime,
  MEDICATION_STATUS_MAPPER,
  type CcdaAuthor,
  type CcdaCode,
  type CcdaConsumable,
  type CcdaEffectiveTime,
  type CcdaEntry,
  type CcdaEntryRelationship,
  type CcdaId,
  type CcdaManufacturedProduct,
  type CcdaPerformer,
  type CcdaQuantity,
  type CcdaSection,
  type CcdaSubstanceAdministration,
  type CcdaTemplateId,
} from '@medplum/ccda';
import type {
  CodeableConcept,
  Medication,
  MedicationAdministration,
  MedicationDispense,
  MedicationRequest,
  Quantity,
  Resource,
} from '@medplum/fhirtypes';
import { referenceTo, resourcesById } from './document-bundle.js';
import type { Resolve } from './narrative.js';
import { authorOf, organizationEntity, practitionerEntity } from './participants.js';

const MEDICATION_ACTIVITY = '2.16.840.1.113883.10.20.22.4.16';
const MEDICATION_INFORMATION = '2.16.840.1.113883.10.20.22.4.23';
const MEDICATION_SUPPLY_ORDER = '2.16.840.1.113883.10.20.22.4.17';
const MEDICATION_DISPENSE = '2.16.840.1.113883.10.20.22.4.18';
const ACT_CODE = '2.16.840.1.113883.5.4';

/**
 * CDA's `supply` act, which `@medplum/ccda` 4.5.2's model does not have; its members are in the
 * order of the CDA schema's `POCD_MT000040.Supply`, which the serialiser keeps.
 * @see https://www.hl7.org/documentcenter/public/standards/cda/r2/cda_r2_normativewebedition2010/infrastructure/cda/cda.html#POCD_MT000040.Supply
 */
export interface CcdaSupply {
  '@_classCode': 'SPLY';
  '@_moodCode': 'INT' | 'EVN';
  templateId: CcdaTemplateId[];
  id: CcdaId[];
  code?: CcdaCode;
  statusCode: CcdaCode;
  effectiveTime?: CcdaEffectiveTime[];
  repeatNumber?: { '@_value': string };
  quantity?: CcdaQuantity;
  expectedUseTime?: { width: CcdaQuantity };
  product?: { manufacturedProduct: CcdaManufacturedProduct[] };
  performer?: CcdaPerformer[];
  author?: CcdaAuthor[];
}

/** An entry relationship that may hold a supply (medplum's lists the other act types only). */
export type SupplyRelationship = CcdaEntryRelationship & { supply?: CcdaSupply[] };

/** A Medication Activity given in the office, with CDA's approach site medplum's model lacks. */
type AdministeredActivity = CcdaSubstanceAdministration & { approachSiteCode?: CcdaCode };

const quantityOf = (quantity: Quantity | undefined): CcdaQuantity | undefined =>
  quantity?.value === undefined
    ? undefined
    : { '@_value': String(quantity.value), '@_unit': quantity.code ?? quantity.unit };

/** When a fill left the pharmacy (or was prepared, when it has not yet). */
export const dispensedAt = (dispense: MedicationDispense): string =>
  dispense.whenHandedOver ?? dispense.whenPrepared ?? '';

/** The fills of `request` among `resources` (by `authorizingPrescription`), the first first. */
export function fillsOf(
  request: MedicationRequest,
  resources: readonly Resource[],
): MedicationDispense[] {
  const { reference } = referenceTo(request);
  return resources
    .filter(
      (resource): resource is MedicationDispense =>
        resource.resourceType === 'MedicationDispense' &&
        resource.authorizingPrescription?.some(
          (prescription) => prescription.reference === reference,
        ) === true,
    )
    .sort((a, b) => dispensedAt(a).localeCompare(dispensedAt(b)));
}

// CDA's ActStatus for a dispense (Medication Fill Status value set, 2.16.840.1.113883.3.88.12.80.64).
function fillStatus(status: MedicationDispense['status']): string {
  if (status === 'completed') return 'completed';
  if (status === 'entered-in-error') return 'nullified';
  if (status === 'cancelled' || status === 'stopped' || status === 'declined') return 'aborted';
  return 'active';
}

function medicationCode(
  concept: CodeableConcept | undefined,
  reference: MedicationRequest['medicationReference'],
  resolve: Resolve,
): CodeableConcept | undefined {
  if (concept !== undefined) return concept;
  const medication = resolve(reference);
  return medication?.resourceType === 'Medication' ? (medication as Medication).code : undefined;
}

/** A Medication Information product for a drug not in the section yet. */
function medicationProduct(code: CodeableConcept | undefined): CcdaManufacturedProduct {
  return {
    '@_classCode': 'MANU',
    templateId: [
      { '@_root': MEDICATION_INFORMATION, '@_extension': '2014-06-09' },
      { '@_root': MEDICATION_INFORMATION },
    ],
    manufacturedMaterial: [
      { code: [mapCodeableConceptToCcdaCode(code) ?? { '@_nullFlavor': 'UNK' }] },
    ],
  };
}

/**
 * A Medication Supply Order: what the prescription allows the pharmacy to dispense (fills,
 * days' supply, quantity), from the MedicationRequest's `dispenseRequest`.
 * @see https://www.hl7.org/ccdasearch/templates/2.16.840.1.113883.10.20.22.4.17.html
 */
function supplyOrder(request: MedicationRequest, product: CcdaManufacturedProduct[]): CcdaSupply {
  const dispense = request.dispenseRequest;
  const validity = dispense?.validityPeriod;
  const start = validity?.start ?? request.authoredOn;
  return {
    '@_classCode': 'SPLY',
    '@_moodCode': 'INT',
    templateId: [
      { '@_root': MEDICATION_SUPPLY_ORDER, '@_extension': '2014-06-09' },
      { '@_root': MEDICATION_SUPPLY_ORDER },
    ],
    id: [{ '@_root': `${request.id ?? 'request'}-supply-order` }],
    statusCode: {
      '@_code': MEDICATION_STATUS_MAPPER.mapFhirToCcdaWithDefault(request.status, 'active'),
    },
    // The order's effectiveTime, when present, SHALL carry a high (CONF:1098-15144).
    effectiveTime: [
      {
        '@_xsi:type': 'IVL_TS',
        low:
          start === undefined
            ? { '@_nullFlavor': 'UNK' }
            : { '@_value': mapFhirToCcdaDateTime(start) },
        high:
          validity?.end === undefined
            ? { '@_nullFlavor': 'UNK' }
            : { '@_value': mapFhirToCcdaDateTime(validity.end) },
      },
    ],
    // CDA counts the fills the order allows; FHIR counts the repeats after the first.
    repeatNumber:
      dispense?.numberOfRepeatsAllowed === undefined
        ? undefined
        : { '@_value': String(dispense.numberOfRepeatsAllowed + 1) },
    quantity: quantityOf(dispense?.quantity),
    expectedUseTime:
      dispense?.expectedSupplyDuration === undefined
        ? undefined
        : { width: quantityOf(dispense.expectedSupplyDuration) as CcdaQuantity },
    product: { manufacturedProduct: product },
  };
}

/**
 * A Medication Dispense: one fill by the pharmacy, with its number, time, quantity, days' supply
 * and whether it was the first fill or a refill (ActCode `FF`/`RF`, as `MedicationDispense.type`).
 * @see https://www.hl7.org/ccdasearch/templates/2.16.840.1.113883.10.20.22.4.18.html
 */
function dispenseSupply(
  dispense: MedicationDispense,
  fillNumber: number,
  product: CcdaManufacturedProduct[],
  resolve: Resolve,
): CcdaSupply {
  const type = dispense.type?.coding?.find(
    (coding) => coding.system === 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  );
  const when = dispense.whenHandedOver ?? dispense.whenPrepared;
  const pharmacy = resolve(dispense.performer?.[0]?.actor);
  return {
    '@_classCode': 'SPLY',
    '@_moodCode': 'EVN',
    templateId: [
      { '@_root': MEDICATION_DISPENSE, '@_extension': '2014-06-09' },
      { '@_root': MEDICATION_DISPENSE },
    ],
    id: [{ '@_root': dispense.id ?? 'dispense' }],
    code:
      type?.code === undefined
        ? undefined
        : {
            '@_code': type.code,
            '@_codeSystem': ACT_CODE,
            '@_codeSystemName': 'ActCode',
            '@_displayName': type.display,
          },
    statusCode: { '@_code': fillStatus(dispense.status) },
    effectiveTime: when === undefined ? undefined : [{ '@_value': mapFhirToCcdaDateTime(when) }],
    // In EVN mood, which fill this is: 1 for the first (CONF:1098-7457).
    repeatNumber: { '@_value': String(fillNumber) },
    quantity: quantityOf(dispense.quantity),
    expectedUseTime:
      dispense.daysSupply === undefined
        ? undefined
        : { width: quantityOf(dispense.daysSupply) as CcdaQuantity },
    product: { manufacturedProduct: product },
    performer:
      pharmacy?.resourceType === 'Organization'
        ? [{ assignedEntity: organizationEntity(pharmacy) }]
        : undefined,
  };
}

/**
 * A Medication Activity in `EVN` mood for a dose given in the office: when, how much, by which
 * route and where, by whom; its ids are the administration's and the order's.
 * @see https://www.hl7.org/ccdasearch/templates/2.16.840.1.113883.10.20.22.4.16.html
 */
function administrationEntry(
  administration: MedicationAdministration,
  consumable: CcdaConsumable,
  resolve: Resolve,
): CcdaEntry {
  const dosage = administration.dosage;
  const performer = resolve(administration.performer?.[0]?.actor);
  const period = administration.effectivePeriod;
  const activity: AdministeredActivity = {
    '@_classCode': 'SBADM',
    '@_moodCode': 'EVN',
    templateId: [
      { '@_root': MEDICATION_ACTIVITY, '@_extension': '2014-06-09' },
      { '@_root': MEDICATION_ACTIVITY },
    ],
    id: [
      { '@_root': administration.id ?? 'administration' },
      ...(administration.request?.reference === undefined
        ? []
        : [{ '@_root': administration.request.reference.replace(/^MedicationRequest\//, '') }]),
    ],
    text: dosage?.text === undefined ? undefined : { '#text': dosage.text },
    statusCode: {
      '@_code': administration.status === 'completed' ? 'completed' : 'active',
    },
    // A single administration: one IVL_TS with a value (CONF:1098-7508).
    effectiveTime: [
      period === undefined
        ? {
            '@_xsi:type': 'IVL_TS',
            '@_value': mapFhirToCcdaDateTime(administration.effectiveDateTime),
          }
        : {
            '@_xsi:type': 'IVL_TS',
            low: { '@_value': mapFhirToCcdaDateTime(period.start) },
            high: { '@_value': mapFhirToCcdaDateTime(period.end) },
          },
    ],
    routeCode: mapCodeableConceptToCcdaCode(dosage?.route),
    approachSiteCode: mapCodeableConceptToCcdaCode(dosage?.site),
    doseQuantity: quantityOf(dosage?.dose),
    consumable,
    performer:
      performer?.resourceType === 'Practitioner'
        ? [{ assignedEntity: practitionerEntity(performer) }]
        : undefined,
    // Who gave the dose documented it (Author Participation, CONF:1098-31150).
    author:
      performer?.resourceType === 'Practitioner'
        ? [authorOf(performer, administration.effectiveDateTime ?? period?.start)]
        : undefined,
  };
  return { substanceAdministration: [activity] };
}

/**
 * Completes medplum's Medication Activities: each prescription's gets its Medication Supply Order
 * and one Medication Dispense per fill (`entryRelationship` REFR, CONF:1098-7442/7445); an order
 * given in the office is listed as its administrations, each a Medication Activity in `EVN` mood.
 * `members` are the section's resources (the orders medplum converted and the administrations),
 * `related` the document's, where the fills are.
 */
export function completeMedications(
  section: CcdaSection,
  members: readonly Resource[],
  related: readonly Resource[],
  resolve: Resolve,
): void {
  const requests = resourcesById(members, 'MedicationRequest');
  const entries = (section.entry ?? []).map((entry) => {
    const activity = entry.substanceAdministration?.[0];
    const request = requests.get(activity?.id?.[0]?.['@_root']);
    if (activity === undefined || request === undefined) return entry;
    const product = activity.consumable?.manufacturedProduct ?? [];
    const fills = fillsOf(request, related);
    const supplies: SupplyRelationship[] = [
      ...(request.dispenseRequest === undefined
        ? []
        : [{ '@_typeCode': 'REFR', supply: [supplyOrder(request, product)] }]),
      // The fills a document shows are the first ones: a `date` window holds the prescription,
      // and its fills come after it, so the window cuts only later ones.
      ...fills.map((fill, index) => ({
        '@_typeCode': 'REFR',
        supply: [dispenseSupply(fill, index + 1, product, resolve)],
      })),
    ];
    if (supplies.length > 0) {
      activity.entryRelationship = [...(activity.entryRelationship ?? []), ...supplies];
    }
    return entry;
  });
  const administered = members
    .filter(
      (resource): resource is MedicationAdministration =>
        resource.resourceType === 'MedicationAdministration',
    )
    .map((administration) => {
      const code = medicationCode(
        administration.medicationCodeableConcept,
        administration.medicationReference,
        resolve,
      );
      const consumable: CcdaConsumable = {
        '@_typeCode': 'CSM',
        manufacturedProduct: [medicationProduct(code)],
      };
      return administrationEntry(administration, consumable, resolve);
    });
  section.entry = [...entries, ...administered];
  if (section.entry.length > 0) delete section['@_nullFlavor'];
}
