import { fileURLToPath } from 'node:url';

/**
 * Tests run against the workspace packages' TypeScript sources, not their built `dist`,
 * so a change in the auth core is seen by the mock server's tests without a rebuild.
 */
export const workspaceAliases: Record<string, string> = {
  '@patient-access/auth-core': fileURLToPath(
    new URL('./packages/auth-core/src/index.ts', import.meta.url),
  ),
  '@patient-access/mock-server': fileURLToPath(
    new URL('./packages/mock-server/src/index.ts', import.meta.url),
  ),
};
