// Each vitest worker's preload (`--import`, given in vitest-driver.ts), before vitest's own code runs: the
// packages the checks use, loaded natively. On Node 20 vitest then registers its module hooks with
// `module.register`, which run in a thread of their own: each module resolved after that is a round trip to
// it, and a package is hundreds of them. Loaded here, a package costs the suite's import one round trip.
// A package missing here is only slower to load. The run process does the same in preload-run.mjs.
await Promise.all(['undici', 'zod', 'allure-js-commons', '@faker-js/faker/locale/en'].map((p) => import(p)));
