export type { Account, Dataset, DatasetOptions } from './types.js';
export {
  DOCUMENTED_ACCOUNTS,
  PRACTICE_ID,
  SYNTHETIC_PASSWORD,
  syntheticUsername,
} from './accounts.js';
export { DEFAULT_SEED, generateDataset, RECORD_CACHE_SIZE } from './dataset.js';
export { REFERENCE_DATE } from './reference-date.js';
