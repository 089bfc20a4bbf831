// The Allure reporter, writing each test's result and attachments as soon as the test ends instead of all
// at the end of the run: a test's attachments (its request/response exchanges) then leave memory with the
// test, so a long soak run (`--repeat N`) holds its memory flat rather than growing with every workflow.
import AllureVitestReporter from 'allure-vitest/reporter';
import type { RunnerTask } from 'vitest';
import type { TestCase } from 'vitest/node';

export default class StreamingAllureReporter extends AllureVitestReporter {
  private readonly written = new WeakSet<object>();

  onTestCaseResult(test: TestCase): void {
    const task = (test as unknown as { task?: RunnerTask }).task;
    if (!task || task.type !== 'test') return;
    this.handleTask(task);
    this.written.add(task);
    // the attachments are in allure-results now
    const meta = task.meta as Record<string, unknown>;
    delete meta.allureRuntimeMessages;
  }

  override handleTask(task: RunnerTask): void {
    if (task.type === 'test' && this.written.has(task)) return;
    super.handleTask(task);
  }
}
