/**
 * The CCD's sections a patient-access document carries, by name and LOINC code, written out
 * apart from `SECTIONS` so that a section dropped from the renderer fails the tests.
 */
export const CCD_SECTIONS: readonly (readonly [name: string, loinc: string])[] = [
  ['allergies', '48765-2'],
  ['medications', '10160-0'],
  ['problems', '11450-4'],
  ['procedures', '47519-4'],
  ['results', '30954-2'],
  ['vital signs', '8716-3'],
  ['immunizations', '11369-6'],
  ['social history', '29762-2'],
  ['encounters', '46240-8'],
  ['plan of treatment', '18776-5'],
  ['goals', '61146-7'],
  ['care team', '85847-2'],
  ['devices', '46264-8'],
  ['notes', '11488-4'],
  ['payers', '48768-6'],
];
