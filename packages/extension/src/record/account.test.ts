import { describe, expect, test } from 'vitest';
import { linkedPatients, personId } from './account.js';

describe('linkedPatients', () => {
  test('lists each linked patient once and ignores other link targets', () => {
    expect(
      linkedPatients({
        resourceType: 'Person',
        link: [
          { target: { reference: 'Patient/428946492' } },
          { target: { reference: 'Patient/429119572' } },
          { target: { reference: 'Patient/429119572' } },
          { target: { reference: 'RelatedPerson/7' } },
        ],
      }),
    ).toEqual(['428946492', '429119572']);
  });
});

describe('personId', () => {
  test('reads the id of a Person reference and nothing else', () => {
    expect(personId('Person/4007449')).toBe('4007449');
    expect(personId('Patient/428946492')).toBeUndefined();
    expect(personId(undefined)).toBeUndefined();
  });
});
