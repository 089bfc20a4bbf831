// Imported by bin/launch.mjs before the TypeScript loader when it starts `conformance`: the packages a run
// process loads, loaded natively. Once the loader's hooks are registered every import goes through them,
// and a package imported that way takes about three times as long (vitest's entry: 0.55 s, not 0.16 s).
// A package missing here is only slower to load. The vitest workers preload theirs (preload-worker.mjs).
// Before them, the report's generator starts: it loads Allure on the other core meanwhile.
import { startAhead } from '../report/generator-process.mjs';

startAhead();
await Promise.all(
  [
    'vitest/node',
    // undici's dispatchers alone, not its entry (all of undici)
    '../client/undici-core.mjs',
    'zod',
    'allure-js-commons',
    'allure-js-commons/sdk/reporter',
    'allure-vitest/reporter',
    'dotenv',
  ].map((p) => import(p)),
);
