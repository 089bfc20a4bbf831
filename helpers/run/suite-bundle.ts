// The suite as vitest's workers load it: each part file (suites/part-N.test.ts) bundled with the suite's own
// modules into one JavaScript file (bundle-cache.mjs). A worker then imports one file with Node's own loader
// instead of some 60 TypeScript modules through tsx's hooks (the suite loads in 0.17 s instead of 0.4 s in a
// process of its own). When it cannot be built, the workers load the TypeScript through tsx: slower, the same
// checks.
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bundle } from './bundle-cache.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
/** the test files, one a worker (suites/harness.ts balances the checks between them) */
export const PART_FILES = readdirSync(join(ROOT, 'suites'))
  .filter((f) => /^part-\d+\.test\.ts$/.test(f))
  .sort()
  .map((f) => `suites/${f}`);

export interface SuiteBundle {
  /** the folder holding the bundled part files (part-N.test.mjs) */
  dir: string;
}

/** The bundled part files (`entries`, from the project's root), or why there are none. */
export function bundleSuite(entries = PART_FILES): Promise<SuiteBundle | { why: string }> {
  return bundle(entries);
}
