// The in-process runner: executes checks with bounded concurrency and returns their results. The self-test
// and the benchmark use it; `npm run conformance` runs the same checks under vitest.
import { pool } from '../../helpers/run/pool.ts';
import type { CheckResult } from '../../helpers/report/result.ts';
import type { RunEnv } from '../../helpers/run/run-env.ts';
import type { RunOptions } from '../../helpers/run/suite-port.ts';
import type { Check } from './check.ts';
import { executeCheck } from './execute.ts';

export async function runChecks(checks: readonly Check[], env: RunEnv, opts: RunOptions = {}): Promise<CheckResult[]> {
  const keep = opts.keepResults !== false;
  const results = await pool(checks, opts.concurrency ?? env.cfg.concurrency, async (c, i) => {
    const r = await executeCheck(c, env, opts.reporterFor?.(c, i) ?? opts.reporter);
    opts.onResult?.(r);
    return keep ? r : undefined;
  });
  return keep ? (results as CheckResult[]) : [];
}
