import { defineConfig } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared.js';

// The real server answers over the internet and renders real pages: give it room.
const real = process.env.CONTRACT_TARGET === 'real';

export default defineConfig({
  resolve: { alias: workspaceAliases },
  test: {
    name: 'contract-tests',
    include: ['src/**/*.test.ts'],
    globalSetup: ['src/suite/global-setup.ts'],
    testTimeout: real ? 60_000 : 15_000,
    hookTimeout: real ? 60_000 : 15_000,
  },
});
