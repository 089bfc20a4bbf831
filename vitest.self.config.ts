// `npm test`: the project's own tests (unit tests of the helpers, the reference target's tests, and the
// mutation self-test of the suite). The conformance suites themselves run through `npm run conformance`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'threads',
    testTimeout: 60_000,
    hookTimeout: 300_000,
    reporters: ['default'],
  },
});
