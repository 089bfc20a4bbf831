// A lightweight in-process runner: executes checks with bounded concurrency and returns their results.
// The self-test and the benchmark use it; `npm run conformance` runs the same checks under vitest.
import { executeCheck, type Check, type CheckResult, type RunEnv, type StepReporter } from './check.ts';

export async function runChecks(checks: readonly Check[], env: RunEnv, opts: { concurrency?: number; reporter?: StepReporter; onResult?: (r: CheckResult) => void } = {}): Promise<CheckResult[]> {
  const results: CheckResult[] = new Array(checks.length);
  let next = 0;
  const worker = async () => {
    while (next < checks.length) {
      const i = next++;
      results[i] = await executeCheck(checks[i]!, env, opts.reporter);
      opts.onResult?.(results[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? env.cfg.concurrency, checks.length) }, worker));
  return results;
}
