import type { Patient, Reference, RelatedPerson, Resource } from '@medplum/fhirtypes';
import {
  DOCUMENTED_ACCOUNTS,
  PRACTICE_ID,
  SYNTHETIC_PASSWORD,
  syntheticUsername,
} from './accounts.js';
import { RecordBuilder } from './generate/builder.js';
import { addCoverage, addSyntheticCoverage } from './generate/coverage.js';
import {
  addPatient,
  addRelative,
  davidPatient,
  SMITH_HERITAGE,
  smithAddress,
  syntheticAddress,
  syntheticPhone,
  type Relative,
} from './generate/patient.js';
import { finishRecord } from './generate/record.js';
import {
  ALEX_STORY,
  ANNA_STORY,
  DAVID_STORY,
  syntheticStory,
  type PatientStory,
} from './generate/story.js';
import { recordOwnerIndex, syntheticPatientId, syntheticPersonId } from './ids.js';
import { daysAgo, fhirDate } from './reference-date.js';
import { seededFaker } from './faker.js';
import { LruCache } from '../lru-cache.js';
import { medicationResources } from './shared/medications.js';
import { payerResources } from './shared/payers.js';
import { personResource } from './shared/persons.js';
import { practiceResources } from './shared/practice.js';
import type { Account, Dataset, DatasetOptions } from './types.js';

/** The default seed (the date of NextGen's guide example), documented in the README. */
export const DEFAULT_SEED = 20230518;

/** Records kept in memory; evicted ones are regenerated identically on the next read. */
export const RECORD_CACHE_SIZE = 256;

interface SyntheticPatient {
  account: Account;
  gender: 'female' | 'male';
  birthDate: string;
}

// One sequential faker for the eager part (accounts): cheap even for 10,000 patients. Records use
// their own per-patient faker, so they do not depend on this one's position.
function syntheticPatients(seed: number, count: number): SyntheticPatient[] {
  const faker = seededFaker([seed, 0x7fffffff]);
  return Array.from({ length: count }, (_, offset) => {
    const n = offset + 1;
    const gender = faker.helpers.arrayElement(['female', 'male'] as const);
    const givenName = faker.person.firstName(gender);
    const familyName = faker.person.lastName();
    const birthDate = fhirDate(daysAgo(faker.number.int({ min: 19 * 365, max: 85 * 365 })));
    return {
      gender,
      birthDate,
      account: {
        username: syntheticUsername(n),
        password: SYNTHETIC_PASSWORD,
        userId: faker.string.uuid(),
        personId: syntheticPersonId(n),
        patientId: syntheticPatientId(n),
        dependents: [],
        givenName,
        familyName,
        email: `${syntheticUsername(n)}@example.com`,
      },
    };
  });
}

// The Smiths' family links, each seen from one member's record: David is the policy holder of
// the family's plan, and his account may choose Alex (his dependent) at sign-in.
const SMITH_FAMILY_SINCE = new Date('2019-01-01T12:00:00Z');
const SMITH_SUBSCRIBER_ID = 'LSH428946492';

function smithRelatives(index: number): Relative[] {
  const [david, anna, alex] = DOCUMENTED_ACCOUNTS as [Account, Account, Account];
  const wife = { account: anna, gender: 'female', birthDate: ANNA_STORY.birthDate } as const;
  const husband = { account: david, gender: 'male', birthDate: DAVID_STORY.birthDate } as const;
  const son = { account: alex, gender: 'male', birthDate: ALEX_STORY.birthDate } as const;
  if (index === 0) {
    return [
      { ...wife, relationship: { code: 'WIFE', display: 'wife' } },
      { ...son, relationship: { code: 'SONC', display: 'son' } },
    ];
  }
  if (index === 1) {
    return [
      { ...husband, relationship: { code: 'HUSB', display: 'husband' } },
      { ...son, relationship: { code: 'SONC', display: 'son' } },
    ];
  }
  return [
    { ...wife, relationship: { code: 'MTH', display: 'mother' } },
    { ...husband, relationship: { code: 'FTH', display: 'father' } },
  ];
}

function documentedRecord(seed: number, index: number): Resource[] {
  const account = DOCUMENTED_ACCOUNTS[index] as Account;
  const builder = new RecordBuilder(seed, index, account.patientId);
  const story = [DAVID_STORY, ANNA_STORY, ALEX_STORY][index] as PatientStory;
  if (index === 0) {
    builder.addAsIs(davidPatient(), new Date('2023-04-20T08:32:32Z'), DAVID_STORY.pcp);
  } else {
    addPatient(
      builder,
      story,
      { given: account.givenName, family: account.familyName },
      smithAddress(),
      '(621)654-6545',
      SMITH_HERITAGE,
    );
  }
  const david = DOCUMENTED_ACCOUNTS[0] as Account;
  let holder: Reference<Patient | RelatedPerson> = builder.subject;
  for (const relative of smithRelatives(index)) {
    const person = addRelative(builder, relative, story.pcp);
    if (relative.account === david) holder = { reference: `RelatedPerson/${person.id}` };
  }
  addCoverage(
    builder,
    'loneStar',
    {
      reference: holder,
      subscriberId: SMITH_SUBSCRIBER_ID,
      relationship: index === 0 ? 'self' : index === 1 ? 'spouse' : 'child',
    },
    SMITH_FAMILY_SINCE,
    story.pcp,
  );
  return finishRecord(builder, story);
}

function syntheticRecord(seed: number, index: number, patient: SyntheticPatient): Resource[] {
  const builder = new RecordBuilder(seed, index, patient.account.patientId);
  const story = syntheticStory(builder.faker, patient.gender, patient.birthDate);
  addPatient(
    builder,
    story,
    { given: patient.account.givenName, family: patient.account.familyName },
    syntheticAddress(builder),
    syntheticPhone(builder),
  );
  addSyntheticCoverage(builder, patient.birthDate, story.pcp);
  return finishRecord(builder, story);
}

// Accounts come from the config file too: each must sign in as one user and choose among
// patients that exist, or the mock would issue tokens for records it cannot serve.
function checkAccounts(accounts: readonly Account[], patients: ReadonlyMap<string, number>): void {
  const logins = new Set<string>();
  const persons = new Set<string>();
  for (const account of accounts) {
    for (const login of [account.username.toLowerCase(), account.email.toLowerCase()]) {
      if (logins.has(login)) throw new Error(`Account ${account.username}: "${login}" is taken.`);
      logins.add(login);
    }
    if (!/^[A-Za-z0-9\-.]{1,64}$/.test(account.personId)) {
      throw new Error(`Account ${account.username}: "${account.personId}" is not a FHIR id.`);
    }
    if (persons.has(account.personId)) {
      throw new Error(`Account ${account.username}: Person/${account.personId} is taken.`);
    }
    persons.add(account.personId);
    for (const patientId of [account.patientId, ...account.dependents]) {
      if (!patients.has(patientId)) {
        throw new Error(
          `Account ${account.username}: there is no Patient/${patientId} (the documented patients are ${DOCUMENTED_ACCOUNTS.map((owner) => owner.patientId).join(', ')}; --patients adds more).`,
        );
      }
    }
  }
}

/**
 * Generates the mock's data: the three documented patients (David Smith as in NextGen's guide, his
 * wife Anna and son Alex) and `extraPatients` synthetic ones, their accounts and the practice.
 * Accounts and shared resources are built now; records on first read.
 */
export function generateDataset(options: Partial<DatasetOptions> = {}): Dataset {
  const seed = options.seed ?? DEFAULT_SEED;
  const extra = syntheticPatients(seed, options.extraPatients ?? 0);
  const owners = [...DOCUMENTED_ACCOUNTS, ...extra.map((patient) => patient.account)];
  const patientIds = owners.map((account) => account.patientId);
  const indexById = new Map(patientIds.map((id, index) => [id, index]));
  const accounts = [...owners, ...(options.accounts ?? [])];
  checkAccounts(accounts, indexById);
  const cache = new LruCache<string, readonly Resource[]>(RECORD_CACHE_SIZE);
  return {
    practiceId: PRACTICE_ID,
    accounts,
    patientIds,
    shared: [
      ...practiceResources(),
      ...payerResources(),
      ...medicationResources(),
      ...accounts.map(personResource),
    ],
    record(patientId) {
      const index = indexById.get(patientId);
      if (index === undefined) return undefined;
      return cache.getOrCreate(patientId, () =>
        index < DOCUMENTED_ACCOUNTS.length
          ? documentedRecord(seed, index)
          : syntheticRecord(
              seed,
              index,
              extra[index - DOCUMENTED_ACCOUNTS.length] as SyntheticPatient,
            ),
      );
    },
    ownerOf(id) {
      const index = recordOwnerIndex(id);
      return index === undefined ? undefined : patientIds[index];
    },
  };
}
