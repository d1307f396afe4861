// @ts-check
/**
 * The Node flags `npm start` (and the package's own `start` script, which repeats them) runs the
 * mock with. `--max-semi-space-size=4` caps V8's young generation at 4 MB per semi-space instead
 * of 16: under a sign-in load it grew to 32 MB, which the process keeps as RSS after the load
 * (RSS after the bench's load: 128 MB with the default, 104 MB with 4, 100 MB with 2; a Patient
 * read then scavenges about twice as often). A V8 heap limit only takes effect as a process flag
 * (`v8.setFlagsFromString` after start-up does not resize the heap), and a shebang cannot carry
 * it portably (`env -S` is missing from BusyBox), so `npx patient-access-mock` runs without it;
 * `NODE_OPTIONS=--max-semi-space-size=4` applies it there (docs/benchmarks.md, issue 11).
 */
export const MOCK_NODE_FLAGS = ['--max-semi-space-size=4'];
