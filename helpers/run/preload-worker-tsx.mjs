// Each vitest worker's second preload when the suite could not be bundled (suite-bundle.ts, vitest-driver.ts):
// the workers load the suite with Node's own import (experimental.viteModuleRunner: false), so each registers
// the TypeScript loader itself for the suite's sources, after preload-worker.mjs has loaded the packages.
// tsx keeps its transforms on disk, keyed by each file's content.
const { register } = await import('tsx/esm/api');
register();
