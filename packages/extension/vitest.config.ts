import { defineConfig } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared.js';

export default defineConfig({
  resolve: { alias: workspaceAliases },
  test: {
    name: 'extension',
    // Unit tests beside the code; the Chromium end-to-end suite (one file, serial) under test/e2e.
    include: ['src/**/*.test.ts', 'test/e2e/**/*.test.ts'],
  },
});
