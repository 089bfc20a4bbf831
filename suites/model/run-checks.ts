// The in-process runner: executes checks with bounded concurrency and returns their results. The self-test
// and the benchmark use it; `npm run conformance` runs the same checks under vitest.
import { pool } from '../../helpers/run/pool.ts';
import type { CheckResult } from '../../helpers/report/result.ts';
import { drainSpares, type RunEnv } from '../../helpers/run/run-env.ts';
import type { RunOptions } from '../../helpers/run/suite-port.ts';
import type { Check } from './check.ts';
import { executeCheck } from './execute.ts';

export async function runChecks(checks: readonly Check[], env: RunEnv, opts: RunOptions = {}): Promise<CheckResult[]> {
  const keep = opts.keepResults !== false;
  const run = async (c: Check) => {
    const r = await executeCheck(c, env, opts.reporterFor?.(c, checks.indexOf(c)) ?? opts.reporter);
    opts.onResult?.(r);
    // a soak hands each result to onResult only, so a long run holds nothing per check
    return keep ? r : undefined;
  };
  // the bursts last and one at a time: no other check's requests overlap them, nor they another check's
  const bursts = checks.filter((c) => c.tags.includes('concurrency'));
  const rest = checks.filter((c) => !c.tags.includes('concurrency'));
  const done = await pool(rest, opts.concurrency ?? env.cfg.concurrency, run);
  for (const c of bursts) done.push(await run(c));
  await drainSpares(env);
  if (!keep) return [];
  const byCheck = new Map(done.map((r, i) => [[...rest, ...bursts][i]!, r!]));
  return checks.map((c) => byCheck.get(c)!);
}
