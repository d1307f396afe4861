// Bundles the `patient-access-mock` bin (src/bin.ts, the CLI, and everything they import, dependencies
// included) into the single file dist/bin.js. Loading one file instead of several hundred
// modules roughly halves the bin's cold start (docs/benchmarks.md); the library entry
// (dist/index.js, from tsc) stays unbundled for projects that import the mock.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

await build({
  absWorkingDir: fileURLToPath(new URL('.', import.meta.url)),
  entryPoints: ['src/bin.ts'],
  outfile: 'dist/bin.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  // Fastify and its plugins are CommonJS and `require` Node's built-ins, which an ES module
  // bundle can only do through a real `require`.
  banner: {
    js: "import { createRequire as createRequireOfBin } from 'node:module';\nconst require = createRequireOfBin(import.meta.url);",
  },
});
