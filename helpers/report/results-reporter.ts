// A vitest reporter (it runs in the main process) that collects each check's result, carried from the
// worker in the test's meta, so the conformance command derives per-id verdicts and the summaries from
// them; each result is also handed to `onResult` as it arrives (progress, stopping a run early), and each
// check's start to `onBegin`.
import type { Reporter, TestCase } from 'vitest/node';
import type { CheckResult } from './result.ts';

export default class ResultsReporter implements Reporter {
  /** the results so far, in the order the checks ended */
  readonly results: CheckResult[] = [];

  constructor(
    private readonly onResult?: (r: CheckResult) => void,
    /** a check began (the first call marks the end of the run's start) */
    private readonly onBegin?: () => void,
    /** a test file (a worker's part of the checks) ended */
    private readonly onPartEnd?: () => void,
  ) {}

  onTestModuleEnd(): void {
    this.onPartEnd?.();
  }

  onTestCaseReady(): void {
    this.onBegin?.();
  }

  onTestCaseResult(test: TestCase): void {
    const r = test.meta().conformance;
    if (r) {
      this.results.push(r);
      this.onResult?.(r);
    }
  }
}
