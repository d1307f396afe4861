import { defineConfig } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared.js';

export default defineConfig({
  resolve: { alias: workspaceAliases },
  test: {
    name: 'extension',
    // Unit tests beside the code; the browser end-to-end suites under test/e2e; the Firefox
    // build's lint under test/firefox.
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
