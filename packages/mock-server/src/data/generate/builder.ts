import type { Faker } from '@faker-js/faker';
import { seededFaker } from '../faker.js';
import type { Patient, Provenance, Reference, Resource } from '@medplum/fhirtypes';
import { PRACTICE_ID } from '../accounts.js';
import { documentedIdPrefix, RECORD_BLOCK_SIZE, recordIdBase } from '../ids.js';
import { US_CORE_PROFILES } from '../profiles.js';
import { fhirDateTime } from '../reference-date.js';
import { STAFF, staffDisplay, type StaffKey } from '../shared/practice.js';

/** A resource of the record before its id and meta are assigned. */
export type Draft<T extends Resource> = Omit<T, 'id' | 'meta'>;

interface Entry {
  resource: Resource;
  recorded: Date;
  author: StaffKey;
}

/**
 * Accumulates one patient's record: hands out the patient's block of ids, stamps `meta` and keeps
 * who recorded each resource and when, for its Provenance.
 */
export class RecordBuilder {
  /** Seeded per (dataset seed, patient index), so records do not depend on generation order. */
  readonly faker: Faker;
  readonly patientId: string;
  readonly #entries: Entry[] = [];
  readonly #idBase: number;
  #next = 0;

  constructor(seed: number, patientIndex: number, patientId: string) {
    this.faker = seededFaker([seed, patientIndex]);
    this.patientId = patientId;
    this.#idBase = recordIdBase(patientIndex);
  }

  /** The reference to this record's Patient. */
  get subject(): Reference<Patient> {
    return { reference: `Patient/${this.patientId}` };
  }

  /** The next unused id of this patient's block. */
  nextId(): string {
    if (this.#next >= RECORD_BLOCK_SIZE) throw new RangeError('Record id block exhausted.');
    return String(this.#idBase + this.#next++);
  }

  /**
   * Adds a resource, giving it an id (with the Swagger's prefix for its type and category),
   * `meta.lastUpdated` and the profiles it conforms to.
   */
  add<T extends Resource>(
    draft: Draft<T>,
    options: { profiles?: readonly string[]; recorded: Date; author: StaffKey; id?: string },
  ): T {
    const resource = {
      id: options.id ?? `${documentedIdPrefix(draft)}${this.nextId()}`,
      meta: {
        lastUpdated: fhirDateTime(options.recorded),
        ...(options.profiles?.length ? { profile: [...options.profiles] } : {}),
      },
      ...draft,
    } as T;
    this.#entries.push({ resource, recorded: options.recorded, author: options.author });
    return resource;
  }

  /** Adds a resource kept exactly as given (David's Patient must equal the guide's example). */
  addAsIs<T extends Resource>(resource: T, recorded: Date, author: StaffKey): T {
    this.#entries.push({ resource, recorded, author });
    return resource;
  }

  /**
   * The finished record: each resource followed by a US Core Provenance naming its author and the
   * practice it acted for.
   * @see https://www.hl7.org/fhir/us/core/STU3.1.1/StructureDefinition-us-core-provenance.html
   */
  build(): Resource[] {
    const resources: Resource[] = [];
    for (const { resource, recorded, author } of this.#entries) {
      resources.push(resource);
      const provenance: Provenance = {
        resourceType: 'Provenance',
        id: this.nextId(),
        meta: { lastUpdated: fhirDateTime(recorded), profile: [US_CORE_PROFILES.provenance] },
        target: [{ reference: `${resource.resourceType}/${resource.id}` }],
        recorded: fhirDateTime(recorded),
        agent: [
          {
            type: {
              coding: [
                {
                  system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type',
                  code: 'author',
                  display: 'Author',
                },
              ],
            },
            who: { reference: `Practitioner/${STAFF[author].id}`, display: staffDisplay(author) },
            onBehalfOf: { reference: `Organization/${PRACTICE_ID}` },
          },
        ],
      };
      resources.push(provenance);
    }
    return resources;
  }
}
