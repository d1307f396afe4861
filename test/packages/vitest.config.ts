import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `npm run test:packages` (CI runs it after `npm test`): the packages as their users get them,
// in a fresh clone and in a blank project that installs the packed tarballs. npm installs from
// its cache or the registry here, which `npm test` never does.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: {
    name: 'packages',
    include: ['*.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
});
