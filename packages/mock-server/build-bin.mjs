// Bundles the `patient-access-mock` bin (src/bin.ts, the CLI, and everything they import, dependencies
// included) into the single file dist/bin.js. Loading one file instead of several hundred
// modules roughly halves the bin's cold start (docs/benchmarks.md); the library entry
// (dist/index.js, from tsc) stays unbundled for projects that import the mock.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const OUTFILE = fileURLToPath(new URL('dist/bin.js', import.meta.url));

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
  // The dependencies' licence comments go to dist/bin.js.LEGAL.txt (see below for why not inline).
  legalComments: 'external',
  // FHIR.js reads its data files relative to its own folder at run time (`__dirname`), which a
  // bundle does not have: it loads from node_modules, where it is a dependency.
  external: ['fhir'],
  // Fastify and its plugins are CommonJS and `require` Node's built-ins, which an ES module
  // bundle can only do through a real `require`.
  banner: {
    js: "import { createRequire as createRequireOfBin } from 'node:module';\nconst require = createRequireOfBin(import.meta.url);",
  },
});

// V8 keeps a script's source in memory, as one byte per character only if every character is
// ASCII: one `→` in a comment doubled the 3 MB bundle's share of the bin's RSS. esbuild escapes
// non-ASCII characters in code and strings, but keeps doc comments on object properties as
// written, so what is left can only be comment text, escaped here.
const bundle = await readFile(OUTFILE, 'utf8');
const ascii = bundle.replace(
  /[^\t\n\r\x20-\x7e]/g,
  (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
);
if (ascii !== bundle) await writeFile(OUTFILE, ascii);
