#!/usr/bin/env node
import { runCli } from './cli.js';

// The entry of the bundled bin (dist/bin.js), which bin/patient-access-mock.js loads.
runCli(process.argv.slice(2)).then(
  (result) => {
    if (typeof result === 'number') process.exitCode = result;
  },
  (error: unknown) => {
    process.stderr.write(`patient-access-mock: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
