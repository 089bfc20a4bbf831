// Each vitest worker's preload (`--import`, given in vitest-driver.ts), before vitest's own code runs: the
// packages the checks use, loaded natively. On Node 20 vitest then registers its module hooks with
// `module.register`, which run in a thread of their own: each module resolved after that is a round trip to
// it, and a package is hundreds of them. Loaded here, a package costs the suite's import one round trip.
// A package missing here is only slower to load. One that fails to load is left to the suite's import, which
// reports it as the test file's error: a preload that throws ends its worker, and vitest's pool the run.
// The run process does the same in preload-run.mjs.
await Promise.allSettled(['undici', 'zod', 'allure-js-commons', '@faker-js/faker/locale/en'].map((p) => import(p)));
