import {
  mapCodeableConceptToCcdaCode,
  mapFhirToCcdaDateTime,
  type CcdaCode,
  type CcdaId,
  type CcdaOrganizer,
  type CcdaSection,
} from '@medplum/ccda';
import type { Observation, Resource, Specimen } from '@medplum/fhirtypes';
import { resourcesById } from './document-bundle.js';
import { idOf } from './identifiers.js';
import type { Resolve } from './narrative.js';

/**
 * CDA's specimen participation, which `@medplum/ccda` 4.5.2's model does not have: the sample by
 * its accession number and type.
 * @see https://www.hl7.org/documentcenter/public/standards/cda/r2/cda_r2_normativewebedition2010/infrastructure/cda/cda.html#POCD_MT000040.Specimen
 */
export interface CcdaSpecimen {
  '@_typeCode': 'SPC';
  specimenRole: {
    '@_classCode': 'SPEC';
    id: CcdaId[];
    specimenPlayingEntity?: { code: CcdaCode };
  };
}

/** A Result Organizer with its specimens, its members in the CDA schema's order. */
type OrganizerWithSpecimens = CcdaOrganizer & { specimen?: CcdaSpecimen[] };

function specimenParticipation(specimen: Specimen): CcdaSpecimen {
  return {
    '@_typeCode': 'SPC',
    specimenRole: {
      '@_classCode': 'SPEC',
      id: [idOf(specimen.accessionIdentifier) ?? { '@_root': specimen.id ?? 'specimen' }],
      specimenPlayingEntity:
        specimen.type === undefined
          ? undefined
          : { code: mapCodeableConceptToCcdaCode(specimen.type) as CcdaCode },
    },
  };
}

// The times an organizer spans: its specimens' collection and its results' effective times.
function spanOf(specimens: readonly Specimen[], results: readonly Observation[]): string[] {
  return [
    ...specimens.map((specimen) => specimen.collection?.collectedDateTime),
    ...results.map((result) => result.effectiveDateTime ?? result.effectivePeriod?.start),
  ]
    .filter((time): time is string => time !== undefined)
    .sort((a, b) => Date.parse(a) - Date.parse(b));
}

/**
 * Names each report's specimens (the blood samples of `DiagnosticReport.specimen`) in its Result
 * Organizer, and gives the organizer the span from collection to the last result
 * (CONF:1198-31865, low and high: CONF:1198-32488/32489), which medplum leaves out.
 * @see https://www.hl7.org/ccdasearch/templates/2.16.840.1.113883.10.20.22.4.1.html
 */
export function addSpecimens(
  section: CcdaSection,
  members: readonly Resource[],
  resolve: Resolve,
): void {
  const reports = resourcesById(members, 'DiagnosticReport');
  for (const entry of section.entry ?? []) {
    entry.organizer = (entry.organizer ?? []).map((organizer) => {
      const report = reports.get(organizer.id?.[0]?.['@_root']);
      if (report === undefined) return organizer;
      const specimens = (report.specimen ?? [])
        .map(resolve)
        .filter((resource): resource is Specimen => resource?.resourceType === 'Specimen');
      const results = (report.result ?? [])
        .map(resolve)
        .filter((resource): resource is Observation => resource?.resourceType === 'Observation');
      const span = spanOf(specimens, results);
      const { component, ...before } = organizer;
      const completed: OrganizerWithSpecimens = {
        ...before,
        effectiveTime:
          span.length === 0
            ? before.effectiveTime
            : [
                {
                  low: { '@_value': mapFhirToCcdaDateTime(span[0]) },
                  high: { '@_value': mapFhirToCcdaDateTime(span[span.length - 1]) },
                },
              ],
        specimen: specimens.length === 0 ? undefined : specimens.map(specimenParticipation),
        component,
      };
      return completed;
    });
  }
}
