import type { Binary, DocumentReference, Encounter } from '@medplum/fhirtypes';
import { PRACTICE_ID } from '../accounts.js';
import { US_CORE_PROFILES } from '../profiles.js';
import { fhirDateTime } from '../reference-date.js';
import { STAFF, staffDisplay, type StaffKey } from '../shared/practice.js';
import type { Code } from '../terminology/systems.js';
import type { RecordBuilder } from './builder.js';

/**
 * A clinical note: its text as a Binary (readable only in the patient's context, hence
 * `securityContext`) and a US Core DocumentReference pointing at it.
 * @see https://www.hl7.org/fhir/us/core/STU3.1.1/clinical-notes-guidance.html
 */
export function addClinicalNote(
  builder: RecordBuilder,
  type: Code,
  encounter: Encounter,
  author: StaffKey,
  sections: readonly [heading: string, text: string][],
): DocumentReference {
  const written = new Date(encounter.period?.end ?? encounter.period?.start ?? '');
  const body = [
    `${type.display.toUpperCase()}`,
    `Date: ${fhirDateTime(written)}`,
    `Author: ${staffDisplay(author)}`,
    '',
    ...sections.flatMap(([heading, text]) => [`${heading}:`, text, '']),
  ].join('\n');
  const binary = builder.add<Binary>(
    {
      resourceType: 'Binary',
      contentType: 'text/plain',
      securityContext: builder.subject,
      data: Buffer.from(body, 'utf8').toString('base64'),
    },
    { recorded: written, author },
  );
  return builder.add<DocumentReference>(
    {
      resourceType: 'DocumentReference',
      identifier: [
        {
          system: 'urn:ietf:rfc:3986',
          value: `urn:oid:2.16.840.1.113883.3.${PRACTICE_ID}.${binary.id}`,
        },
      ],
      status: 'current',
      docStatus: 'final',
      type: { coding: [type], text: type.display },
      category: [
        {
          coding: [
            {
              system: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category',
              code: 'clinical-note',
              display: 'Clinical Note',
            },
          ],
        },
      ],
      subject: builder.subject,
      date: fhirDateTime(written),
      author: [{ reference: `Practitioner/${STAFF[author].id}`, display: staffDisplay(author) }],
      custodian: { reference: `Organization/${PRACTICE_ID}` },
      content: [
        {
          attachment: {
            contentType: 'text/plain',
            language: 'en-US',
            url: `Binary/${binary.id}`,
            size: Buffer.byteLength(body, 'utf8'),
            title: type.display,
            creation: fhirDateTime(written),
          },
          format: {
            system: 'http://ihe.net/fhir/ValueSet/IHE.FormatCode.codesystem',
            code: 'urn:ihe:iti:xds:2017:mimeTypeSufficient',
            display: 'mimeType Sufficient',
          },
        },
      ],
      context: {
        encounter: [{ reference: `Encounter/${encounter.id}` }],
        period: { start: encounter.period?.start, end: encounter.period?.end },
      },
    },
    { profiles: [US_CORE_PROFILES.documentReference], recorded: written, author },
  );
}
