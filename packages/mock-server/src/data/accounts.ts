import { createHash } from 'node:crypto';
import type { AccountConfig } from '../config.js';
import type { Account } from './types.js';

/**
 * The test patients published in NextGen's developer guide. David's account is `Person/4007449`
 * as in the guide's token response; it gets one dependent (his son Alex) so the selection screen
 * has a choice to offer.
 */
export const DOCUMENTED_ACCOUNTS: readonly Account[] = [
  {
    username: 'DavidFHIR',
    password: 'password',
    userId: 'f1a7c6a2-5d0e-4c44-9c57-2b7f3f0d4a01',
    personId: '4007449',
    patientId: '428946492',
    dependents: ['429119572'],
    givenName: 'David',
    familyName: 'Smith',
    email: 'david.smith@example.com',
  },
  {
    username: 'AnnaFHIR',
    password: 'Password01',
    userId: 'f1a7c6a2-5d0e-4c44-9c57-2b7f3f0d4a02',
    personId: '4007450',
    patientId: '428946523',
    dependents: [],
    givenName: 'Anna',
    familyName: 'Smith',
    email: 'anna.smith@example.com',
  },
  {
    username: 'AlexSmithFhir',
    password: 'Password01',
    userId: 'f1a7c6a2-5d0e-4c44-9c57-2b7f3f0d4a03',
    personId: '4007451',
    patientId: '429119572',
    dependents: [],
    givenName: 'Alex',
    familyName: 'Smith',
    email: 'alex.smith@example.com',
  },
];

/** The practice of the test patients: the assigner of David's MRN in the guide. */
export const PRACTICE_ID = '1673497';

/** The password of every synthetic account (`patient00001` … `patientNNNNN`). */
export const SYNTHETIC_PASSWORD = 'Password01';

/** The username of synthetic account `n` (1-based): `patient` and five digits. */
export function syntheticUsername(n: number): string {
  return `patient${String(n).padStart(5, '0')}`;
}

/** An account of the config file (`accounts`), with a `sub` that is stable across restarts. */
export function accountFromConfig(account: AccountConfig): Account {
  return {
    username: account.username,
    password: account.password,
    userId: uuidFrom(`account:${account.username.toLowerCase()}`),
    personId: account.personId,
    patientId: account.patientId,
    dependents: account.dependents ?? [],
    givenName: account.givenName ?? account.username,
    familyName: account.familyName ?? '',
    email: account.email ?? `${account.username.toLowerCase()}@example.com`,
  };
}

/** A stable name-based UUID, so a config account keeps its `sub` across restarts. */
function uuidFrom(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
