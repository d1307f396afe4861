import type {
  AllergyIntolerance,
  Condition,
  Encounter,
  Immunization,
  Procedure,
} from '@medplum/fhirtypes';
import { conceptText, dateText, firstConceptText, periodText, referenceText } from './fhir-text.js';
import { itemCard, notes, statusText } from './item-card.js';
import { ofType, type SectionSpec } from './section.js';

/** Searches `resourceType` for the patient; the US Core `patient` search parameter. */
function byPatient(resourceType: string): SectionSpec['load'] {
  return (source, patientId) => source.search(resourceType, { patient: patientId });
}

/** Problems and health concerns. */
export const conditionSection: SectionSpec = {
  resourceType: 'Condition',
  title: 'Problems',
  load: byPatient('Condition'),
  render: (resources) =>
    ofType<Condition>(resources, 'Condition').map((condition) =>
      itemCard(
        'Condition',
        conceptText(condition.code),
        [
          ['Status', statusText(firstConceptText([condition.clinicalStatus ?? {}]))],
          [
            'Onset',
            dateText(condition.onsetDateTime) ??
              periodText(condition.onsetPeriod) ??
              condition.onsetString,
          ],
          ['Recorded', dateText(condition.recordedDate)],
          ['Category', firstConceptText(condition.category)],
        ],
        notes(condition.note),
      ),
    ),
};

/** Allergies and intolerances, with what reaction they cause. */
export const allergySection: SectionSpec = {
  resourceType: 'AllergyIntolerance',
  title: 'Allergies',
  load: byPatient('AllergyIntolerance'),
  render: (resources) =>
    ofType<AllergyIntolerance>(resources, 'AllergyIntolerance').map((allergy) =>
      itemCard(
        'AllergyIntolerance',
        conceptText(allergy.code),
        [
          ['Status', statusText(conceptText(allergy.clinicalStatus))],
          ['Criticality', statusText(allergy.criticality)],
          [
            'Reaction',
            (allergy.reaction ?? [])
              .flatMap((reaction) => reaction.manifestation.map(conceptText))
              .filter(Boolean)
              .join(', ') || undefined,
          ],
          ['Recorded', dateText(allergy.recordedDate)],
        ],
        notes(allergy.note),
      ),
    ),
};

/** Vaccinations given. */
export const immunizationSection: SectionSpec = {
  resourceType: 'Immunization',
  title: 'Immunizations',
  load: byPatient('Immunization'),
  render: (resources) =>
    ofType<Immunization>(resources, 'Immunization').map((immunization) =>
      itemCard(
        'Immunization',
        conceptText(immunization.vaccineCode),
        [
          ['Date', dateText(immunization.occurrenceDateTime) ?? immunization.occurrenceString],
          ['Status', statusText(immunization.status)],
          ['Lot', immunization.lotNumber],
        ],
        notes(immunization.note),
      ),
    ),
};

/** Procedures performed. */
export const procedureSection: SectionSpec = {
  resourceType: 'Procedure',
  title: 'Procedures',
  load: byPatient('Procedure'),
  render: (resources) =>
    ofType<Procedure>(resources, 'Procedure').map((procedure) =>
      itemCard(
        'Procedure',
        conceptText(procedure.code),
        [
          ['Date', dateText(procedure.performedDateTime) ?? periodText(procedure.performedPeriod)],
          ['Status', statusText(procedure.status)],
          ['Reason', firstConceptText(procedure.reasonCode)],
        ],
        notes(procedure.note),
      ),
    ),
};

/** Visits. */
export const encounterSection: SectionSpec = {
  resourceType: 'Encounter',
  title: 'Encounters',
  load: byPatient('Encounter'),
  render: (resources) =>
    ofType<Encounter>(resources, 'Encounter').map((encounter) =>
      itemCard(
        'Encounter',
        firstConceptText(encounter.type) ?? encounter.class?.display ?? encounter.class?.code,
        [
          ['When', periodText(encounter.period)],
          ['Status', statusText(encounter.status)],
          ['Reason', firstConceptText(encounter.reasonCode)],
          [
            'With',
            (encounter.participant ?? [])
              .map((participant) => referenceText(participant.individual))
              .filter(Boolean)
              .join(', ') || undefined,
          ],
          ['Where', referenceText(encounter.location?.[0]?.location)],
        ],
      ),
    ),
};
