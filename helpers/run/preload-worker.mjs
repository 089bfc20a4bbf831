// Each vitest worker's first setup file when the suite could not be bundled (suite-bundle.ts): the run's vitest
// loads test files with Node's own import, not through Vite's transforms (experimental.viteModuleRunner: false,
// set in vitest-driver.ts), so the worker registers the TypeScript loader itself for the suite's own sources;
// tsx keeps its transforms on disk, keyed by each file's content.
// The packages the checks use are imported first, natively: through the loader's hooks each takes about
// three times as long. A package missing here is only slower to load.
await Promise.all(['undici', 'zod', 'allure-js-commons', '@faker-js/faker/locale/en'].map((p) => import(p)));
const { register } = await import('tsx/esm/api');
register();
