// Unit tests: weft, the compile step, the runner protocol, the CLI — in Node;
// and the conformance suite (tests/conformance: Rust's, Tokio's and Rayon's
// own tests ported to weft, each run free and under two seeds).
// Run with `npm run test:unit`. End-to-end tests are Playwright's (tests/e2e).

import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/conformance/**/*.test.ts', 'src/**/*.test.ts'],
    environment: 'node',
    // The run worker bundled once for all test processes (tests/unit/global-setup.ts).
    globalSetup: ['tests/unit/global-setup.ts'],
    // Child processes, not worker_threads: the tests themselves start
    // worker_threads (weft's threads in Node run .ts files through Node's own
    // type stripping), block them with Atomics.wait and terminate them. In a
    // separate process that cannot disturb Vitest's own workers, and
    // process-wide state (exit codes, cwd, signal handlers) stays per file.
    pool: 'forks',
    // Two files at once even on two cores (Vitest's default there is one): a file spends much of its time
    // waiting for its threads, and two at once took the suite from 12.3 to 8.5 minutes on the 2-core CI machine.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Threads are real: a test of a blocking primitive may legitimately take
    // a second, and a 2-core CI machine runs two files at once.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    teardownTimeout: 10_000,
    // Monaco's bundled TypeScript (9 MB, tests/unit/components/editor/types.test.ts) loads as Node loads it, not through Vite's transform.
    server: { deps: { external: [/monaco-editor\/esm\/vs\/languages\/features\/typescript\/lib\//] } },
  },
});
