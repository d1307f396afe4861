#!/usr/bin/env node
// The `contract-diff` bin: a committed file, so that npm links it at install time even before
// dist/ is built (npm skips a bin whose target is missing, and `npx contract-diff` would then ask
// the registry for a package of that name).
import { existsSync } from 'node:fs';

const command = new URL('../dist/cli/contract-diff.js', import.meta.url);
if (existsSync(command)) {
  await import(command.href);
} else {
  process.stderr.write(
    'contract-diff: not built yet; run `npm run build` at the repository root.\n',
  );
  process.exitCode = 2;
}
