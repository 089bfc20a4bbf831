// A vitest reporter that collects each check's result (carried in the test's meta) into one JSON file,
// from which the conformance command derives per-id verdicts and the summaries.
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Reporter, TestCase, TestModule } from 'vitest/node';
import type { CheckResult } from './result.ts';

export default class ResultsReporter implements Reporter {
  private readonly results: CheckResult[] = [];

  constructor(private readonly opts: { file: string; onResult?: (r: CheckResult) => void }) {}

  onTestCaseResult(test: TestCase): void {
    const r = test.meta().conformance;
    if (r) {
      this.results.push(r);
      this.opts.onResult?.(r);
    }
  }

  onTestRunEnd(_modules: ReadonlyArray<TestModule>): void {
    mkdirSync(dirname(this.opts.file), { recursive: true });
    writeFileSync(this.opts.file, JSON.stringify(this.results));
  }
}
