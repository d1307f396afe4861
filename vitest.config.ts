import { defineConfig } from 'vitest/config';

// One run over every package, so `npm test` prints a single summary.
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts'],
  },
});
