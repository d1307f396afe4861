import type { Person } from '@medplum/fhirtypes';
import { PRACTICE_ID } from '../accounts.js';
import { fhirDateTime, REFERENCE_DATE } from '../reference-date.js';
import type { Account } from '../types.js';

/**
 * The account behind a login, as NextGen exposes it (`resource: "Person/<id>"` in the token
 * response): it links to the account's own patient and to the dependents it may choose.
 */
export function personResource(account: Account): Person {
  return {
    resourceType: 'Person',
    id: account.personId,
    meta: { lastUpdated: fhirDateTime(REFERENCE_DATE) },
    active: true,
    // A config-file account may have no family name, and FHIR strings are never empty.
    name: [
      account.familyName === ''
        ? { use: 'usual', given: [account.givenName] }
        : { use: 'usual', family: account.familyName, given: [account.givenName] },
    ],
    telecom: [{ system: 'email', value: account.email, use: 'home' }],
    managingOrganization: { reference: `Organization/${PRACTICE_ID}` },
    link: [account.patientId, ...account.dependents].map((patientId) => ({
      target: { reference: `Patient/${patientId}` },
      assurance: 'level3',
    })),
  };
}
