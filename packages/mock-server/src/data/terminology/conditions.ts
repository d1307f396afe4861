import { code, type Code } from './systems.js';

/** A diagnosis as the chart records it: SNOMED CT for the problem, ICD-10-CM for billing. */
export interface ConditionCode {
  snomed: Code;
  icd10: Code;
  /** Chronic problems stay on the problem list; acute ones are encounter diagnoses that resolve. */
  chronic: boolean;
}

function condition(snomed: [string, string], icd10: [string, string], chronic: boolean) {
  return {
    snomed: code('snomed', ...snomed),
    icd10: code('icd10cm', ...icd10),
    chronic,
  } satisfies ConditionCode;
}

/**
 * Curated diagnoses.
 * @see https://www.hl7.org/fhir/us/core/STU3.1.1/ValueSet-us-core-condition-code.html
 */
export const CONDITIONS = {
  essentialHypertension: condition(
    ['59621000', 'Essential hypertension (disorder)'],
    ['I10', 'Essential (primary) hypertension'],
    true,
  ),
  completeHeartBlock: condition(
    ['27885002', 'Complete atrioventricular block (disorder)'],
    ['I44.2', 'Atrioventricular block, complete'],
    true,
  ),
  hyperlipidemia: condition(
    ['55822004', 'Hyperlipidemia (disorder)'],
    ['E78.5', 'Hyperlipidemia, unspecified'],
    true,
  ),
  obesity: condition(['414916001', 'Obesity (disorder)'], ['E66.9', 'Obesity, unspecified'], true),
  prediabetes: condition(['714628002', 'Prediabetes (finding)'], ['R73.03', 'Prediabetes'], true),
  type2Diabetes: condition(
    ['44054006', 'Diabetes mellitus type 2 (disorder)'],
    ['E11.9', 'Type 2 diabetes mellitus without complications'],
    true,
  ),
  asthma: condition(
    ['195967001', 'Asthma (disorder)'],
    ['J45.909', 'Unspecified asthma, uncomplicated'],
    true,
  ),
  allergicRhinitis: condition(
    ['61582004', 'Allergic rhinitis (disorder)'],
    ['J30.9', 'Allergic rhinitis, unspecified'],
    true,
  ),
  atopicDermatitis: condition(
    ['24079001', 'Atopic dermatitis (disorder)'],
    ['L20.9', 'Atopic dermatitis, unspecified'],
    true,
  ),
  migraine: condition(
    ['37796009', 'Migraine (disorder)'],
    ['G43.909', 'Migraine, unspecified, not intractable, without status migrainosus'],
    true,
  ),
  anxiety: condition(
    ['197480006', 'Anxiety disorder (disorder)'],
    ['F41.9', 'Anxiety disorder, unspecified'],
    true,
  ),
  syncope: condition(['271594007', 'Syncope (disorder)'], ['R55', 'Syncope and collapse'], false),
  viralPharyngitis: condition(
    ['195662009', 'Acute viral pharyngitis (disorder)'],
    ['J02.9', 'Acute pharyngitis, unspecified'],
    false,
  ),
  streptococcalPharyngitis: condition(
    ['43878008', 'Streptococcal sore throat (disorder)'],
    ['J02.0', 'Streptococcal pharyngitis'],
    false,
  ),
  acuteSinusitis: condition(
    ['15805002', 'Acute sinusitis (disorder)'],
    ['J01.90', 'Acute sinusitis, unspecified'],
    false,
  ),
  acuteBronchitis: condition(
    ['10509002', 'Acute bronchitis (disorder)'],
    ['J20.9', 'Acute bronchitis, unspecified'],
    false,
  ),
  otitisMedia: condition(
    ['65363002', 'Otitis media (disorder)'],
    ['H66.90', 'Otitis media, unspecified, unspecified ear'],
    false,
  ),
  urinaryTractInfection: condition(
    ['68566005', 'Urinary tract infectious disease (disorder)'],
    ['N39.0', 'Urinary tract infection, site not specified'],
    false,
  ),
  ankleSprain: condition(
    ['44465007', 'Sprain of ankle (disorder)'],
    ['S93.401A', 'Sprain of unspecified ligament of right ankle, initial encounter'],
    false,
  ),
  lowBackPain: condition(
    ['279039007', 'Low back pain (finding)'],
    ['M54.50', 'Low back pain, unspecified'],
    false,
  ),
  gastroenteritis: condition(
    ['25374005', 'Gastroenteritis (disorder)'],
    ['K52.9', 'Noninfective gastroenteritis and colitis, unspecified'],
    false,
  ),
  // Health concerns: findings the patient and clinician track outside the problem list.
  sedentaryLifestyle: condition(
    ['415510005', 'Sedentary lifestyle (finding)'],
    ['Z72.3', 'Lack of physical exercise'],
    true,
  ),
  stress: condition(
    ['73595000', 'Stress (finding)'],
    ['Z73.3', 'Stress, not elsewhere classified'],
    true,
  ),
} as const;

/** A key of {@link CONDITIONS}. */
export type ConditionKey = keyof typeof CONDITIONS;
