// A finished test's Allure result, exactly as allure-vitest's reporter writes it (allure-vitest 3.12), with
// what is the same for every test worked out once. Its reporter, in the run's main thread, works out for
// every test again the project's folder (a `stat` each time, four times a test), the package label and the
// labels named by ALLURE_LABEL_* variables (a walk over the whole environment): 0.15 s of that thread's
// 0.7 s during the checks, while both cores are busy. A test with anything unusual (a failed hook, global
// messages, a test plan's skip, a browser) is left to allure-vitest itself; test/unit/allure-test-task.test.ts
// holds the two to the same result.
import { Stage, Status, type Label } from 'allure-js-commons';
import { extractMetadataFromString, getMessageAndTraceFromError, getStatusFromError } from 'allure-js-commons/sdk';
import type { RuntimeMessage } from 'allure-js-commons/sdk';
import {
  getEnvironmentLabels,
  getFallbackTestCaseIdLabel,
  getFrameworkLabel,
  getHostLabel,
  getLanguageLabel,
  getPackageLabel,
  getPosixPath,
  getProjectName,
  getRelativePath,
  getSuiteLabels,
  getThreadLabel,
  md5,
  type ReporterRuntime,
} from 'allure-js-commons/sdk/reporter';
import type { RunnerTask, RunnerTestCase } from 'vitest';

interface TestMeta {
  allureRuntimeMessages?: RuntimeMessage[];
  allureGlobalRuntimeMessages?: RuntimeMessage[];
  vitestWorker?: number;
  browser?: string;
  allureSkip?: boolean;
}

/** A test allure-vitest would report with nothing but its own messages: the one case written here. */
export function isPlainTest(task: RunnerTask): task is RunnerTestCase {
  if (task.type !== 'test' || !task.result || task.mode === 'skip') return false;
  const meta = task.meta as TestMeta;
  const hooks = Object.values(task.result.hooks ?? {});
  return (
    !meta.allureSkip &&
    !meta.browser &&
    !meta.allureGlobalRuntimeMessages?.length &&
    !(task.result.errors?.length && hooks.some((s) => s !== 'pass' && s !== 'skip'))
  );
}

const suitePathOf = (task: RunnerTask): string[] => {
  const path: string[] = [];
  for (let s = task.suite; s?.name; s = s.suite) path.unshift(s.name);
  return path;
};

/** What allure-vitest works out for every test, once per test file. */
interface FileFacts {
  specPath: string;
  packageLabel: Label;
}

export class PlainTestWriter {
  private readonly projectName = getProjectName();
  private readonly envLabels = getEnvironmentLabels();
  private readonly files = new Map<string, FileFacts>();

  constructor(private readonly runtime: ReporterRuntime) {}

  private factsOf(filepath: string): FileFacts {
    let facts = this.files.get(filepath);
    if (!facts) {
      facts = { specPath: getPosixPath(getRelativePath(filepath)), packageLabel: getPackageLabel(filepath) };
      this.files.set(filepath, facts);
    }
    return facts;
  }

  /** Writes `task` (a plain test, `isPlainTest`) as allure-vitest's `handleTask` does. */
  write(task: RunnerTestCase): void {
    const { allureRuntimeMessages = [], vitestWorker } = task.meta as TestMeta;
    const { specPath, packageLabel } = this.factsOf(task.file.filepath);
    const suitePath = suitePathOf(task);
    const { cleanTitle, labels, links } = extractMetadataFromString(task.name);
    const titled = `#${suitePath.concat(cleanTitle).join(' ')}`;
    const project = this.projectName;
    const uuid = this.runtime.startTest({ name: cleanTitle || task.name, start: task.result?.startTime });
    this.runtime.updateTest(uuid, (result) => {
      result.fullName = `${project ? `${project}:` : ''}${specPath}${titled}`;
      result.titlePath = [...(project ? [project] : []), ...specPath.split('/'), ...suitePath];
      result.labels.push(getFrameworkLabel('vitest'), getLanguageLabel(), ...labels, ...getSuiteLabels(suitePath));
      result.labels.push(...this.envLabels.map((l) => ({ ...l })), getHostLabel());
      result.labels.push(getThreadLabel((vitestWorker && `vitest-worker-${vitestWorker}`) as string | undefined));
      result.labels.push(getFallbackTestCaseIdLabel(md5(`${specPath}${titled}`)), { ...packageLabel });
      result.links.push(...links);
      if (allureRuntimeMessages.length) this.runtime.applyRuntimeMessages(uuid, allureRuntimeMessages);
      const state = task.result?.state;
      if (state === 'fail') {
        const [error] = task.result!.errors ?? [];
        result.statusDetails = { ...getMessageAndTraceFromError(error!) };
        result.status = getStatusFromError(error!);
        result.stage = Stage.FINISHED;
      } else if (state === 'pass') [result.status, result.stage] = [Status.PASSED, Stage.FINISHED];
      else if (state === 'skip') [result.status, result.stage] = [Status.SKIPPED, Stage.PENDING];
    });
    this.runtime.stopTest(uuid, { duration: task.result?.duration ?? 0 });
    this.runtime.writeTest(uuid);
  }
}
