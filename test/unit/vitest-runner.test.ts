import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import ReleasingRunner from '../../helpers/run/vitest-runner.mjs';

const ROOT = join(import.meta.dirname, '../..');
const runner = () => Object.create(ReleasingRunner.prototype) as ReleasingRunner;
describe("the workers' test runner", () => {
  test("lets go of a finished test's Allure messages once its last update is posted, and of nothing else", async () => {
    const messages = () => [{ type: 'step_start', data: { name: 'create a customer' } }];
    const finished = { allureRuntimeMessages: messages(), conformance: { status: 'passed' } };
    const running = { allureRuntimeMessages: messages() };
    const packs = [
      ['t1', { state: 'pass' }, finished],
      ['t2', { state: 'run' }, running],
    ];
    const events = [
      ['t1', 'test-finished', undefined],
      ['t2', 'test-prepare', undefined],
    ];
    ReleasingRunner.prototype.onTaskUpdate.call(runner(), packs, events);
    // not before the post, which may wait for a microtask
    await Promise.resolve();
    expect(finished.allureRuntimeMessages).toEqual(messages());
    await new Promise((next) => setImmediate(next));
    expect(finished).toEqual({ conformance: { status: 'passed' } });
    expect(running).toEqual({ allureRuntimeMessages: messages() });
  });

  test('imports a test or setup file by its own URL: no query that only module hooks resolve', async () => {
    const dir = mkdtempSync(join(ROOT, 'test', '.runner-'));
    try {
      const file = join(dir, 'a.test.mjs');
      writeFileSync(file, 'export const url = import.meta.url;\n');
      const mod = (await runner().importFile(file, 'collect')) as { url: string };
      expect(mod.url).toBe(pathToFileURL(file).href);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a worker with the workers' preload and runner starts no module hooks thread, and runs its tests", () => {
    const dir = mkdtempSync(join(ROOT, 'test', '.runner-'));
    try {
      // counts vitest's calls to module.register (each starts a thread for module hooks)
      writeFileSync(
        join(dir, 'spy.mjs'),
        "import module from 'node:module';\nconst register = module.register;\nglobalThis.registered = 0;\n" +
          'module.register = (...a) => (globalThis.registered++, register.apply(module, a));\n',
      );
      writeFileSync(
        join(dir, 'hooks.test.mjs'),
        "import { expect, test } from 'vitest';\n" +
          "test('no hooks thread', () => expect(globalThis.registered).toBe(0));\n",
      );
      const preload = (f: string) => ['--import', pathToFileURL(f).href];
      const config = {
        test: {
          include: ['hooks.test.mjs'],
          pool: 'threads',
          execArgv: [...preload(join(ROOT, 'helpers/run/preload-worker.mjs')), ...preload(join(dir, 'spy.mjs'))],
          experimental: { viteModuleRunner: false, nodeLoader: false },
          runner: join(ROOT, 'helpers/run/vitest-runner.mjs'),
        },
      };
      writeFileSync(join(dir, 'vitest.config.mjs'), `export default ${JSON.stringify(config)};\n`);
      const vitest = join(ROOT, 'node_modules/vitest/vitest.mjs');
      const run = spawnSync(process.execPath, [vitest, 'run', '--root', dir], { encoding: 'utf8', timeout: 60_000 });
      expect(run.status, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toMatch(/1 passed/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
