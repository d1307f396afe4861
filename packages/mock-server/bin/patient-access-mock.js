#!/usr/bin/env node
// The `patient-access-mock` bin. npm links a package's bin at install time only if the file
// exists, and in this repository dist/ is built after the install (by `prepare`): a bin pointing
// at dist/bin.js was never linked after `npm ci`, so `npx patient-access-mock` asked the registry
// for a package of that name. This committed file is always there to be linked; it runs the
// bundle, or says how to build it.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/bin.js', import.meta.url);
if (existsSync(bundle)) {
  await import(bundle.href);
} else {
  process.stderr.write(
    'patient-access-mock: the mock server is not built yet (dist/bin.js is missing).\n' +
      'Run `npm run build` at the repository root (`npm ci` does it too), then try again.\n',
  );
  process.exitCode = 1;
}
