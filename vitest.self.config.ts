// `npm test`: the project's own tests (unit tests of the helpers, the reference target's tests, and the
// mutation self-test of the suite). The conformance suites themselves run through `npm run conformance`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // the tests' temporary folders, in one that goes when the run ends
    globalSetup: ['test/support/temp-root.ts'],
    pool: 'threads',
    // vitest's default on a 2-core machine is one worker, which runs the files one after another; most of
    // these tests wait on loopback servers and child processes, so a few more workers keep both cores busy
    maxWorkers: 3,
    testTimeout: 60_000,
    hookTimeout: 300_000,
    reporters: ['default'],
  },
});
