import { code, type Code } from './systems.js';

/**
 * Curated vaccines (CDC CVX codes, as US Core 3.1.1 Immunization.vaccineCode requires at least).
 * @see https://www2a.cdc.gov/vaccines/iis/iisstandards/vaccines.asp?rpt=cvx
 */
export const VACCINES = {
  influenza: code('cvx', '140', 'Influenza, seasonal, injectable, preservative free'),
  tdap: code('cvx', '115', 'Tdap'),
  td: code('cvx', '113', 'Td (adult) preservative free'),
  hepB: code('cvx', '08', 'Hep B, adolescent or pediatric'),
  hepA: code('cvx', '83', 'Hep A, ped/adol, 2 dose'),
  dtap: code('cvx', '20', 'DTaP'),
  ipv: code('cvx', '10', 'IPV'),
  hib: code('cvx', '49', 'Hib (PRP-OMP)'),
  pcv13: code('cvx', '133', 'Pneumococcal conjugate PCV 13'),
  rotavirus: code('cvx', '116', 'rotavirus, pentavalent'),
  mmr: code('cvx', '03', 'MMR'),
  varicella: code('cvx', '21', 'varicella'),
  hpv9: code('cvx', '165', 'HPV9'),
  covidPfizer: code(
    'cvx',
    '208',
    'SARS-COV-2 (COVID-19) vaccine, mRNA, spike protein, LNP, preservative free, 30 mcg/0.3mL dose',
  ),
} as const satisfies Record<string, Code>;

/** A key of {@link VACCINES}. */
export type VaccineKey = keyof typeof VACCINES;

/** Childhood doses by age in months (CDC schedule, simplified to one product per antigen). */
export const CHILDHOOD_SCHEDULE: readonly { vaccine: VaccineKey; ageMonths: number }[] = [
  { vaccine: 'hepB', ageMonths: 0 },
  { vaccine: 'hepB', ageMonths: 2 },
  { vaccine: 'dtap', ageMonths: 2 },
  { vaccine: 'ipv', ageMonths: 2 },
  { vaccine: 'hib', ageMonths: 2 },
  { vaccine: 'pcv13', ageMonths: 2 },
  { vaccine: 'rotavirus', ageMonths: 2 },
  { vaccine: 'dtap', ageMonths: 4 },
  { vaccine: 'ipv', ageMonths: 4 },
  { vaccine: 'hib', ageMonths: 4 },
  { vaccine: 'pcv13', ageMonths: 4 },
  { vaccine: 'rotavirus', ageMonths: 4 },
  { vaccine: 'hepB', ageMonths: 6 },
  { vaccine: 'dtap', ageMonths: 6 },
  { vaccine: 'pcv13', ageMonths: 6 },
  { vaccine: 'rotavirus', ageMonths: 6 },
  { vaccine: 'mmr', ageMonths: 12 },
  { vaccine: 'varicella', ageMonths: 12 },
  { vaccine: 'hepA', ageMonths: 12 },
  { vaccine: 'hib', ageMonths: 12 },
  { vaccine: 'pcv13', ageMonths: 12 },
  { vaccine: 'dtap', ageMonths: 15 },
  { vaccine: 'hepA', ageMonths: 18 },
  { vaccine: 'ipv', ageMonths: 48 },
  { vaccine: 'dtap', ageMonths: 48 },
  { vaccine: 'mmr', ageMonths: 48 },
  { vaccine: 'varicella', ageMonths: 48 },
  { vaccine: 'tdap', ageMonths: 132 },
  { vaccine: 'hpv9', ageMonths: 132 },
  { vaccine: 'hpv9', ageMonths: 138 },
];
