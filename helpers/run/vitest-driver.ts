// Runs the selected checks under vitest (suites/part-N.test.ts, bundled by suite-bundle.ts; suites/harness.ts
// makes each check a test): created, then started, so Ctrl-C, a stop and the run timeout can cancel a run in
// progress. The workers get the run's state through vitest's provide/inject; the results come back to this
// process through a reporter, beside the Allure and JUnit reporters.
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Config } from '../config/config.ts';
import { HARNESS_KEY, type HarnessState } from './harness-state.ts';
import type { Interrupts } from './interrupts.ts';
import { loadOf } from './bundle-cache.mjs';
import { bundleSuite, PART_FILES, type SuiteBundle } from './suite-bundle.ts';
import type { CheckResult } from '../report/result.ts';
import ResultsReporter from '../report/results-reporter.ts';
import type { RunInfo } from '../report/summary.ts';
import type { createVitest, Reporter } from 'vitest/node';

const ROOT = resolve(import.meta.dirname, '../..');

export interface VitestRun {
  state: HarnessState;
  reports: string;
  info: RunInfo;
  onResult: (r: CheckResult) => void;
  /** a check began */
  onBegin?: () => void;
  /** an Allure result or attachment is whole in `reports`/allure-results (its file's name) */
  onAllureFile?: (name: string) => void;
  /** a worker's part of the checks ended */
  onPartEnd?: () => void;
}

export interface VitestOutcome {
  results: CheckResult[];
  /** the run exceeded CUSTOMER_API_RUN_TIMEOUT_MS and was cancelled */
  timedOut: boolean;
  /** how the workers loaded the suite: its bundle, or its TypeScript and why */
  suiteLoad: string;
  /** what vitest itself reported failing outside any check (a worker that died, a part file that did not load) */
  runnerErrors: string[];
}

/** An error vitest caught outside the checks, as one line: its cause's words when it wraps one. */
function runnerError(e: unknown): string {
  const err = e as { message?: unknown; cause?: { message?: unknown } } | undefined;
  return String(err?.cause?.message ?? err?.message ?? e)
    .replace(/\s+/g, ' ')
    .trim();
}

const preload = (file: string) => ['--import', pathToFileURL(join(ROOT, 'helpers/run', file)).href];
// each worker's packages, loaded natively before vitest's module hooks
const PRELOAD = preload('preload-worker.mjs');

/**
 * Where and how the workers load the suite: its bundled part files (helpers/run/suite-bundle.ts), or, when they
 * could not be built, the TypeScript part files through tsx, registered in each worker after its packages.
 */
export function workerLoad(bundle: SuiteBundle | { why: string }) {
  if ('dir' in bundle) return { dir: bundle.dir, include: ['part-*.test.mjs'], exclude: [], execArgv: PRELOAD };
  return { include: PART_FILES, execArgv: [...PRELOAD, ...preload('preload-worker-tsx.mjs')] };
}

/** vitest as the run uses it: no config file, the suites' tests, two workers sharing the concurrency. */
function options(
  run: VitestRun,
  reporters: Reporter[],
  bundle: SuiteBundle | { why: string },
): Parameters<typeof createVitest>[1] {
  const cfg: Config = run.state.config;
  const junit = {
    outputFile: join(run.reports, 'junit.xml'),
    suiteName: 'Customer API conformance',
    addFileAttribute: false,
  };
  return {
    root: ROOT,
    config: false,
    ...workerLoad(bundle),
    watch: false,
    pool: 'threads',
    // isolation stays on: allure-vitest installs its runtime per test file (with isolate: false a run of
    // `--only workflow,timestamps` lost every step and label of its checks). Two test files, suites/part-1 and
    // part-2, one a worker: each loads the suite once (a file costs about half a second of a worker's time)
    maxWorkers: 2,
    fileParallelism: true,
    // per worker: the workers together keep CUSTOMER_API_CONCURRENCY requests in flight at most
    maxConcurrency: Math.max(1, Math.ceil(cfg.concurrency / 2)),
    testTimeout: cfg.timeoutMs * 30,
    hookTimeout: cfg.timeoutMs * 3,
    // what the workers inject: plain data, cloned into each
    provide: { [HARNESS_KEY]: run.state },
    // Node's own import instead of Vite's module runner, which had this process transform each of the suite's
    // modules for the workers, one round trip each
    experimental: { viteModuleRunner: false, nodeLoader: false },
    // lets go of each test's Allure messages once posted to this process (a worker's memory stays flat)
    runner: join(ROOT, 'helpers/run/vitest-runner.mjs'),
    reporters: [...reporters, ['junit', junit]],
  };
}

/** Runs the checks to the end, or until `interrupts` cancels them or the run timeout does. */
export async function runVitest(run: VitestRun, interrupts: Interrupts): Promise<VitestOutcome> {
  // built in esbuild's own process while this one loads vitest
  const bundling = bundleSuite();
  const { createVitest: create } = await import('vitest/node');
  // results and attachments written as each test ends, so nothing accumulates over a long run
  const { runAllureReporter } = await import('../report/allure-streaming.ts');
  const results = new ResultsReporter(run.onResult, run.onBegin, run.onPartEnd);
  const allure = runAllureReporter(join(run.reports, 'allure-results'), run.state.config, run.info, run.onAllureFile);
  for (const [k, v] of [
    ['TEST', 'true'],
    ['VITEST', 'true'],
    ['NODE_ENV', 'test'],
  ] as const)
    process.env[k] ??= v;
  const events = ['SIGINT', 'SIGTERM', 'unhandledRejection'];
  const proc: NodeJS.EventEmitter = process;
  const listening = new Set(events.flatMap((e) => proc.listeners(e)));
  const bundle = await bundling;
  const vitest = await create('test', options(run, [results, allure], bundle), {
    logLevel: 'silent',
    clearScreen: false,
  });
  // vitest's logger exits the process on SIGINT/SIGTERM, and on a rejection nobody handled (with exit code 1
  // and a stack trace), before anything is deleted: the run handles them (interrupts.ts)
  for (const e of events) for (const l of proc.listeners(e)) if (!listening.has(l)) proc.off(e, l as () => void);
  interrupts.cancel = async () => {
    await vitest.cancelCurrentRun('keyboard-input').catch(() => undefined);
  };
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void interrupts.cancel?.();
  }, run.state.config.runTimeoutMs);
  let runnerErrors: string[];
  try {
    if (!interrupts.interrupted) await vitest.start([]);
  } finally {
    clearTimeout(timer);
    // a worker that died, and a part file that failed to load
    const failed = [
      ...vitest.state.getUnhandledErrors(),
      ...vitest.state.getFiles().flatMap((f) => f.result?.errors ?? []),
    ];
    runnerErrors = [...new Set(failed.map(runnerError))];
    await vitest.close();
    await allure.flush();
  }
  return { results: results.results, timedOut, suiteLoad: loadOf(bundle), runnerErrors };
}
