import { describe, expect, test } from 'vitest';
import ReleasingRunner from '../../helpers/run/vitest-runner.mjs';

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
    ReleasingRunner.prototype.onTaskUpdate.call(Object.create(ReleasingRunner.prototype), packs, events);
    // not before the post, which may wait for a microtask
    await Promise.resolve();
    expect(finished.allureRuntimeMessages).toEqual(messages());
    await new Promise((next) => setImmediate(next));
    expect(finished).toEqual({ conformance: { status: 'passed' } });
    expect(running).toEqual({ allureRuntimeMessages: messages() });
  });
});
