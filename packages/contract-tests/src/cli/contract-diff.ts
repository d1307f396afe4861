#!/usr/bin/env node
import { contractDiffCommand } from '../report/diff-command.js';

process.exitCode = await contractDiffCommand(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
