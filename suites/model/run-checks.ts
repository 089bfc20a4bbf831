// A lightweight in-process runner: executes checks with bounded concurrency and returns their results.
// The self-test and the benchmark use it; `npm run conformance` runs the same checks under vitest.
import { executeCheck, type Check, type CheckResult, type RunEnv, type StepReporter } from './check.ts';

export async function runChecks(checks: readonly Check[], env: RunEnv, opts: { concurrency?: number; reporter?: StepReporter; reporterFor?: (c: Check, i: number) => StepReporter; onResult?: (r: CheckResult) => void; keepResults?: boolean } = {}): Promise<CheckResult[]> {
  const results: CheckResult[] = opts.keepResults === false ? [] : new Array(checks.length);
  let next = 0;
  const worker = async () => {
    while (next < checks.length) {
      const i = next++;
      const r = await executeCheck(checks[i]!, env, opts.reporterFor?.(checks[i]!, i) ?? opts.reporter);
      // a soak hands each result to onResult only, so a long run holds nothing per check
      if (opts.keepResults !== false) results[i] = r;
      opts.onResult?.(r);
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? env.cfg.concurrency, checks.length) }, worker));
  return results;
}
