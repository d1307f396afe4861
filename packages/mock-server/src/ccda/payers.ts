import type {
  CcdaAct,
  CcdaAddr,
  CcdaCode,
  CcdaId,
  CcdaName,
  CcdaParticipant,
  CcdaPerformer,
  CcdaSection,
} from '@medplum/ccda';
import { mapFhirToCcdaDate } from '@medplum/ccda';
import type {
  Address,
  Coverage,
  CoverageClass,
  HumanName,
  Identifier,
  Organization,
  Patient,
  RelatedPerson,
} from '@medplum/fhirtypes';
import { idOf, oidOf } from './identifiers.js';
import type { Resolve } from './narrative.js';
import { addrOf, nameOf } from './participants.js';

const ROLE_CODE = '2.16.840.1.113883.5.111';
const X12_INSURANCE_TYPE = '2.16.840.1.113883.6.255.1336';
const SOPT = '2.16.840.1.113883.3.221.5';
const SOPT_URL = 'https://nahdo.org/sopt';
const NAIC = '2.16.840.1.113883.6.300';
const PAYER_PERFORMER = '2.16.840.1.113883.10.20.22.4.87';
const COVERED_PARTY = '2.16.840.1.113883.10.20.22.4.89';
const POLICY_HOLDER = '2.16.840.1.113883.10.20.22.4.90';

/**
 * The Health Insurance Type (X12 1336) a Source of Payment Typology code names: the Policy
 * Activity's code is the insurance type, with the SOPT code as its translation (CONF:1198-32852).
 * @see https://www.hl7.org/ccdasearch/templates/2.16.840.1.113883.10.20.22.4.61.html
 */
function insuranceType(sopt: string): { code: string; display: string } {
  if (sopt === '511') return { code: 'HM', display: 'Health Maintenance Organization (HMO)' };
  if (sopt === '512') return { code: 'PR', display: 'Preferred Provider Organization (PPO)' };
  if (sopt === '513') return { code: 'PS', display: 'Point of Service (POS)' };
  if (sopt.startsWith('1')) return { code: 'MP', display: 'Medicare Primary' };
  if (sopt.startsWith('2')) return { code: 'MC', display: 'Medicaid' };
  if (sopt.startsWith('5')) return { code: 'C1', display: 'Commercial' };
  return { code: 'OT', display: 'Other' };
}

const addressesOf = (addresses: Address[] | undefined): CcdaAddr[] | undefined =>
  addresses?.map((address) => addrOf(address, address.use === 'work' ? 'WP' : 'HP'));

const namesOf = (names: HumanName[] | undefined): CcdaName[] =>
  (names ?? []).map((name) => ({ '@_use': 'L', ...nameOf(name) }));

/** The member id of a Coverage: its identifier typed `MB`, else its first. */
export const memberIdOf = (coverage: Coverage): Identifier | undefined =>
  coverage.identifier?.find((identifier) =>
    identifier.type?.coding?.some((coding) => coding.code === 'MB'),
  ) ?? coverage.identifier?.[0];

/** The Coverage's plan (its `class` of type `plan`). */
export const planOf = (coverage: Coverage): CoverageClass | undefined =>
  coverage.class?.find((item) => item.type.coding?.some((coding) => coding.code === 'plan'));

/** The policy's code: the insurance type, translated to the Coverage's SOPT code. */
function policyCode(coverage: Coverage): CcdaCode {
  const sopt = coverage.type?.coding?.find((coding) => coding.system === SOPT_URL);
  const type = insuranceType(sopt?.code ?? '');
  return {
    '@_code': type.code,
    '@_displayName': type.display,
    '@_codeSystem': X12_INSURANCE_TYPE,
    '@_codeSystemName': 'X12 Insurance Type Code',
    translation:
      sopt?.code === undefined
        ? [{ '@_nullFlavor': 'UNK' } as CcdaCode]
        : [
            {
              '@_code': sopt.code,
              '@_displayName': sopt.display,
              '@_codeSystem': SOPT,
              '@_codeSystemName': 'Source of Payment Typology (PHDSC)',
            },
          ],
  };
}

/** The Payer Performer: the payer Organization, by its NAIC company code where it has one. */
function payerPerformer(payer: Organization | undefined, previous: CcdaPerformer): CcdaPerformer {
  const naic = payer?.identifier?.find((identifier) => oidOf(identifier.system) === NAIC);
  return {
    ...previous,
    templateId: [{ '@_root': PAYER_PERFORMER }],
    assignedEntity: {
      ...previous.assignedEntity,
      id: [{ '@_root': payer?.id ?? 'payer' }, ...(naic ? [idOf(naic) as CcdaId] : [])],
    },
  };
}

/**
 * The Covered Party: the patient, by their member id, with their relationship to the
 * subscriber (`SELF` or `FAMDEP`, the Coverage Role Type value set) and the coverage period.
 * @see https://www.hl7.org/ccdasearch/templates/2.16.840.1.113883.10.20.22.4.89.html
 */
function coveredParty(coverage: Coverage, patient: Patient): CcdaParticipant {
  const self = coverage.relationship?.coding?.some((coding) => coding.code === 'self') !== false;
  const memberId = memberIdOf(coverage);
  return {
    '@_typeCode': 'COV',
    templateId: [{ '@_root': COVERED_PARTY }],
    time: {
      low: { '@_value': mapFhirToCcdaDate(coverage.period?.start) },
      ...(coverage.period?.end !== undefined && {
        high: { '@_value': mapFhirToCcdaDate(coverage.period.end) },
      }),
    },
    participantRole: {
      '@_classCode': 'PAT',
      id: [
        idOf(memberId) ?? { '@_root': coverage.id ?? 'coverage', '@_extension': memberId?.value },
      ],
      code: self
        ? { '@_code': 'SELF', '@_codeSystem': ROLE_CODE, '@_displayName': 'self' }
        : { '@_code': 'FAMDEP', '@_codeSystem': ROLE_CODE, '@_displayName': 'family dependent' },
      addr: addressesOf(patient.address),
      playingEntity: {
        name: namesOf(patient.name),
        'sdtc:birthTime': { '@_value': mapFhirToCcdaDate(patient.birthDate) },
      },
    },
  } as CcdaParticipant;
}

/**
 * The Policy Holder, when it is not the patient: the subscriber, by their subscriber id.
 * @see https://www.hl7.org/ccdasearch/templates/2.16.840.1.113883.10.20.22.4.90.html
 */
function policyHolder(coverage: Coverage, subscriber: RelatedPerson | Patient): CcdaParticipant {
  const root = oidOf(memberIdOf(coverage)?.system);
  return {
    '@_typeCode': 'HLD',
    templateId: [{ '@_root': POLICY_HOLDER }],
    participantRole: {
      id: [
        root === undefined || coverage.subscriberId === undefined
          ? { '@_root': subscriber.id ?? 'subscriber' }
          : { '@_root': root, '@_extension': coverage.subscriberId },
      ],
      addr: addressesOf(subscriber.address),
      playingEntity: { name: namesOf(subscriber.name) },
    },
  };
}

/**
 * Completes medplum's Policy Activities (one per Coverage, in the Coverage Activity of the
 * Payers section) with what 4.5.2 leaves as placeholders: the insurance type with its SOPT
 * translation (it writes `9999`), the payer's NAIC code (it writes `999999`), the covered party's
 * member id, relationship, name and birth date (it writes a fixed id and an empty entity), the
 * policy holder from `Coverage.subscriber` (it reads `policyHolder`) and the plan's name.
 * @see https://www.hl7.org/ccdasearch/templates/2.16.840.1.113883.10.20.22.2.18.html
 */
export function completePolicies(
  section: CcdaSection,
  coverages: readonly Coverage[],
  patient: Patient,
  resolve: Resolve,
): void {
  const policies: CcdaAct[] = (section.entry ?? []).flatMap((entry) =>
    (entry.act ?? []).flatMap((act) =>
      (act.entryRelationship ?? []).flatMap((relationship) => relationship.act ?? []),
    ),
  );
  for (const policy of policies) {
    const coverage = coverages.find((candidate) => candidate.id === policy.id?.[0]?.['@_root']);
    if (coverage === undefined) continue;
    const payer = resolve(coverage.payor[0]);
    policy.code = policyCode(coverage);
    policy.performer = (policy.performer ?? []).map((performer) =>
      payerPerformer(payer?.resourceType === 'Organization' ? payer : undefined, performer),
    );
    const subscriber = resolve(coverage.subscriber);
    const holder =
      (subscriber?.resourceType === 'RelatedPerson' || subscriber?.resourceType === 'Patient') &&
      subscriber.id !== patient.id
        ? policyHolder(coverage, subscriber)
        : undefined;
    policy.participant = [coveredParty(coverage, patient), ...(holder ? [holder] : [])];
    const plan = planOf(coverage);
    const planRoot = oidOf(memberIdOf(coverage)?.system);
    for (const relationship of policy.entryRelationship ?? []) {
      for (const act of relationship.act ?? []) {
        if (plan === undefined) continue;
        // The plan is its own act: its id is the plan's, not the policy's medplum repeats.
        if (planRoot !== undefined) act.id = [{ '@_root': planRoot, '@_extension': plan.value }];
        act.text = { '#text': plan.name ?? plan.value };
      }
    }
  }
}
