// What the runners (the conformance run, the mutation self-test, the benchmark) need of the suite. The
// commands and the tests hand it in from suites/suite.ts, so helpers/ never import suites/.
import type { CheckInfo, CheckResult, StepReporter } from '../report/result.ts';
import type { Config } from '../config/config.ts';
import type { RunEnv } from './run-env.ts';

export interface RunOptions {
  /** checks in flight at once (default: the configuration's concurrency) */
  concurrency?: number;
  reporter?: StepReporter;
  reporterFor?: (c: CheckInfo, i: number) => StepReporter;
  onResult?: (r: CheckResult) => void;
  /** false: results go to onResult only, so a long soak holds nothing per check */
  keepResults?: boolean;
}

export interface SuitePort {
  /** every check under this configuration, each Workflow check `repeat` times (soak mode) */
  checks(cfg: Pick<Config, 'languages' | 'readOnlyCustomerId' | 'readings'>, repeat?: number): CheckInfo[];
  /** the workflow checks alone, `repeat` times */
  workflows(repeat?: number): CheckInfo[];
  /** runs checks of this suite in-process, with bounded concurrency */
  run(checks: readonly CheckInfo[], env: RunEnv, opts?: RunOptions): Promise<CheckResult[]>;
}
