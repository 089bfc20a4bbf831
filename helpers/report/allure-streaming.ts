// The Allure reporter, writing each test's result and attachments as soon as the test ends instead of all
// at the end of the run: a test's attachments (its request/response exchanges) then leave memory with the
// test, so a long soak run (`--repeat N`) holds its memory flat rather than growing with every workflow.
// The run's reporter also files the results into categories and records the run's environment.
import AllureVitestReporter from 'allure-vitest/reporter';
import type { RunnerTask } from 'vitest';
import type { TestCase, Vitest } from 'vitest/node';
import type { ReporterRuntime } from 'allure-js-commons/sdk/reporter';
import type { TestResult } from 'allure-js-commons';
import { BackgroundWriter } from './allure-writer.ts';
import { isPlainTest, PlainTestWriter } from './allure-test-task.ts';
import type { Config } from '../config/config.ts';
import type { RunInfo } from './summary.ts';
import pkg from '../../package.json' with { type: 'json' };

export default class StreamingAllureReporter extends AllureVitestReporter {
  private readonly written = new WeakSet<object>();
  private readonly writer: BackgroundWriter;
  private plain?: PlainTestWriter;

  private readonly reportMatchers: boolean;

  constructor(
    config: ConstructorParameters<typeof AllureVitestReporter>[0] & {
      resultsDir: string;
      onWritten?: (name: string) => void;
    },
  ) {
    super(config);
    this.writer = new BackgroundWriter(config.resultsDir, config.onWritten);
    // the plain writer reports every runtime message, as allure-vitest does unless told otherwise
    this.reportMatchers = config.reportMatchers ?? true;
  }

  override onInit(vitest: Vitest): void {
    super.onInit(vitest);
    // allure-vitest builds its writer here and takes none from its configuration
    const runtime = (this as unknown as { allureReporterRuntime: ReporterRuntime }).allureReporterRuntime;
    runtime.writer = this.writer;
    if (this.reportMatchers) this.plain = new PlainTestWriter(runtime);
  }

  /** Waits until every result and attachment is on disk (before anything reads the results). */
  flush(): Promise<void> {
    return this.writer.flush();
  }

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
    if (this.plain && isPlainTest(task)) this.plain.write(task);
    else super.handleTask(task);
  }
}

// categories.json in the results, for Allure 2 and TestOps readers of them; the HTML report (Allure 3)
// takes the same categories from allurerc.mjs
const CATEGORIES = [
  { name: 'Nonconformance (product defects)', matchedStatuses: ['failed'] },
  {
    name: 'Environment, not the product (no answer, gateway, redirect, refused keys)',
    matchedStatuses: ['broken'],
    messageRegex: 'environment:[\\s\\S]*',
  },
  {
    name: 'No customer to test with (the product refused a valid create)',
    matchedStatuses: ['broken'],
    messageRegex: 'precondition:[\\s\\S]*',
  },
  { name: 'Suite errors', matchedStatuses: ['broken'] },
  { name: 'Not verified', matchedStatuses: ['skipped'] },
];

/** The run's entries in the results' environment.properties. */
function environmentInfo(cfg: Config, info: RunInfo): Record<string, string> {
  return {
    target: info.target,
    'target kind': info.targetKind,
    ...(info.deploymentVersion ? { 'deployment version': info.deploymentVersion } : {}),
    'suite version': info.suiteVersion + (info.gitCommit ? ` (${info.gitCommit})` : ''),
    seed: String(info.seed),
    'run id': info.runId,
    node: info.node,
    auth: cfg.auth,
    'update method / semantics': `${cfg.updateMethod} / ${cfg.updateSemantics}`,
    'other-entity credentials': cfg.other ? 'configured' : 'not configured',
    ...(info.selection ? { selection: info.selection } : {}),
  };
}

/** the suite's name: first in each check's Allure identity, whichever folder the run was started from */
const PROJECT = pkg.name;

/**
 * A check's identity in Allure, whichever test file ran it and wherever the run was started: the file is a part
 * of the run (a worker's share, which changes with the selection, and bundled or not), so it leaves the full
 * name (from which Allure derives each test's id and history), the title path and the package; and allure-js
 * names the project after the package.json of the current folder (none, or another project's), so the suite
 * names it. `project:suites/part-1.test.ts#Get [CUS-GET-200] …` becomes `customer-api-conformance:Get …`.
 */
export function withoutTestFile(result: TestResult): void {
  const [, project = '', path] = /^([^:#]*:)?([^#]*)#/.exec(result.fullName ?? '') ?? [];
  if (path !== undefined) result.fullName = `${PROJECT}:${result.fullName!.slice(project.length + path.length + 1)}`;
  // the project, the path's folders and the file: [project, suites, part-1.test.ts, Get] becomes [suite, Get]
  const file = result.titlePath?.findIndex((p) => /\.test\.m?[jt]s$/.test(p)) ?? -1;
  if (file >= 0) result.titlePath!.splice(0, file + 1, PROJECT);
  result.labels = result.labels.filter((l) => l.name !== 'package');
}

/** The Allure reporter of a conformance run, writing into `resultsDir`; `onWritten` hears of each file written. */
export function runAllureReporter(
  resultsDir: string,
  cfg: Config,
  info: RunInfo,
  onWritten?: (name: string) => void,
): StreamingAllureReporter {
  return new StreamingAllureReporter({
    resultsDir,
    onWritten,
    environmentInfo: environmentInfo(cfg, info),
    categories: CATEGORIES as never,
    // before Allure derives the test's ids from its full name
    listeners: [{ beforeTestResultStop: withoutTestFile }],
  });
}
