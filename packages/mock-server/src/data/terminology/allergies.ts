import { code, type Code } from './systems.js';

/** An allergy or intolerance: the substance, its category and the reaction it causes. */
export interface AllergyCode {
  substance: Code;
  category: 'food' | 'medication' | 'environment' | 'biologic';
  criticality: 'low' | 'high';
  manifestation: Code;
  severity: 'mild' | 'moderate' | 'severe';
}

/**
 * Curated substances (SNOMED CT substances and RxNorm ingredients, as the US Core 3.1.1 value set
 * allows).
 * @see https://www.hl7.org/fhir/us/core/STU3.1.1/ValueSet-us-core-allergy-substance.html
 */
export const ALLERGIES = {
  penicillin: {
    substance: code('rxnorm', '7980', 'penicillin G'),
    category: 'medication',
    criticality: 'high',
    manifestation: code('snomed', '126485001', 'Urticaria (disorder)'),
    severity: 'moderate',
  },
  sulfonamide: {
    substance: code('snomed', '387406002', 'Sulfonamide (substance)'),
    category: 'medication',
    criticality: 'low',
    manifestation: code('snomed', '271807003', 'Eruption of skin (disorder)'),
    severity: 'mild',
  },
  peanut: {
    substance: code('snomed', '762952008', 'Peanut (substance)'),
    category: 'food',
    criticality: 'high',
    manifestation: code('snomed', '39579001', 'Anaphylaxis (disorder)'),
    severity: 'severe',
  },
  shellfish: {
    substance: code('snomed', '44027008', 'Seafood (substance)'),
    category: 'food',
    criticality: 'low',
    manifestation: code('snomed', '126485001', 'Urticaria (disorder)'),
    severity: 'mild',
  },
  houseDustMite: {
    substance: code('snomed', '260147004', 'House dust mite (organism)'),
    category: 'environment',
    criticality: 'low',
    manifestation: code('snomed', '76067001', 'Sneezing (finding)'),
    severity: 'mild',
  },
  grassPollen: {
    substance: code('snomed', '256277009', 'Grass pollen (substance)'),
    category: 'environment',
    criticality: 'low',
    manifestation: code('snomed', '76067001', 'Sneezing (finding)'),
    severity: 'mild',
  },
  catDander: {
    substance: code('snomed', '264287008', 'Animal dander (substance)'),
    category: 'environment',
    criticality: 'low',
    manifestation: code('snomed', '418290006', 'Itching (finding)'),
    severity: 'mild',
  },
  latex: {
    substance: code('snomed', '111088007', 'Latex (substance)'),
    category: 'environment',
    criticality: 'high',
    manifestation: code('snomed', '271807003', 'Eruption of skin (disorder)'),
    severity: 'moderate',
  },
} as const satisfies Record<string, AllergyCode>;

/** A key of {@link ALLERGIES}. */
export type AllergyKey = keyof typeof ALLERGIES;
