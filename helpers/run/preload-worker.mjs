// Each vitest worker's preload (`--import`, given in vitest-driver.ts), before vitest's own code runs: the
// packages the checks use, loaded natively. A package missing here is only slower to load. One that fails to
// load is left to the suite's import, which reports it as the test file's error: a preload that throws ends
// its worker, and vitest's pool the run. The run process does the same in preload-run.mjs.
import module from 'node:module';

// vitest registers module hooks in each worker: in the worker's own thread where Node has
// `module.registerHooks` (22.15 on), else with `module.register`, which starts a thread of its own for them
// (130 ms of the worker's start, waiting for it; 0.2 s of CPU) and makes each module resolved after it a round
// trip to that thread. They do nothing a run needs: they serve mocks (the suite mocks nothing), watch mode's
// module graph, and a `?vitest=` query on the test file's URL, which the workers' runner (vitest-runner.mjs)
// does not add. Where Node has none, vitest is given hooks that register nothing.
module.registerHooks ??= () => undefined;

// undici's dispatchers alone, not its entry (all of undici)
const packages = ['../client/undici-core.mjs', 'zod', 'allure-js-commons', '@faker-js/faker/locale/en'];
await Promise.allSettled(packages.map((p) => import(p)));
