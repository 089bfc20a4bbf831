// Registers the registry's checks as vitest tests, one per check, run concurrently, each reported to Allure
// with its contract ids (story), feature, severity, tags, parameters, steps and request/response attachments.
import * as allure from 'allure-js-commons';
import { LabelName, Status } from 'allure-js-commons';
import { afterAll, describe, inject, test, type TestContext } from 'vitest';
import { checkTitle, type CheckInfo, type CheckResult, type StepReporter } from '../helpers/report/result.ts';
import { shardBins } from '../helpers/run/shard.ts';
import { executeCheck } from './model/execute.ts';
import { Nonconformance, severityOf, type Check } from './model/check.ts';
import type { RunEnv } from '../helpers/run/run-env.ts';
import { createRunEnv, drainSpares } from '../helpers/run/run-env.ts';
import { ExchangeEvidence, type RuntimeMessage } from '../helpers/report/attachments.ts';
import { HARNESS_KEY, selects, type HarnessState } from '../helpers/run/harness-state.ts';
import { allChecks } from './registry.ts';
import { withRepeats } from './repeat.ts';
import { ORIGIN_LABEL, originOf, statement, type ContractId } from '../fixtures/contract/statements.ts';
import { escapeMarkup } from '../helpers/client/text.ts';

declare module 'vitest' {
  interface TaskMeta {
    conformance?: CheckResult;
  }
}

const CONTRACT_ANCHORS: Record<string, string> = {
  Get: 'get',
  Update: 'update',
  Timestamps: 'timestamps',
  Delete: 'delete',
  Errors: 'errors',
  Security: 'statements-the-suite-verifies',
  Concurrency: 'concurrency-and-consistency-suite-defined',
};

/** What the conformance command provided: the configuration, the run and the selection. */
function harnessState(): HarnessState {
  const state = inject(HARNESS_KEY);
  if (!state) throw new Error('the conformance suites run through `npm run conformance`, which configures them');
  return state;
}

let shared: RunEnv | undefined;
function runEnv(): RunEnv {
  if (!shared) {
    const s = harnessState();
    shared = createRunEnv(s.config, { runId: s.runId, ledgerFile: s.ledgerFile });
  }
  return shared;
}

/** A check's reporter: its steps, exchanges (written when it ends) and failures, in its test's Allure result. */
const allureReporter = (evidence: ExchangeEvidence): StepReporter => ({
  step: (name, fn) => allure.step(name, () => fn()) as Promise<never>,
  exchange: async (ex, redactor) => evidence.add(ex, redactor),
  // the wrong answer is a failed step where it was found, with expected and actual
  failure: (f) => void allure.logStep(`${f.id}: expected ${f.expected}; got ${f.actual}`, Status.FAILED),
});

/** The test's runtime messages, where allure-vitest records its steps and attachments until the test ends. */
function runtimeMessages(ctx: TestContext): RuntimeMessage[] {
  const meta = ctx.task.meta as { allureRuntimeMessages?: RuntimeMessage[] };
  return (meta.allureRuntimeMessages ??= []);
}

async function label(c: Check): Promise<void> {
  const suiteDefined = c.ids.some((id) => originOf(id) === 'suite');
  const tags = [...c.tags, ...(suiteDefined ? ['suite-defined'] : [])];
  // one message for them all: each of allure's calls is a message through its runtime to this test's meta
  await allure.labels(
    { name: LabelName.EPIC, value: 'Customer API' },
    { name: LabelName.FEATURE, value: c.feature },
    // filed once, under its first id (so the report's counts are the checks'); the other ids as labels
    { name: LabelName.STORY, value: c.ids[0]! },
    ...c.ids.map((id) => ({ name: 'statement', value: id })),
    { name: LabelName.SEVERITY, value: severityOf(c) },
    ...tags.map((value) => ({ name: LabelName.TAG, value })),
  );
  for (const [k, v] of Object.entries(c.params ?? {})) await allure.parameter(k, v);
  // the sentence behind each id, and whether the contract or the suite states it: a paragraph each, as HTML
  // (given Markdown, the report's generator renders it for every check, on the one core it runs on)
  const said = (id: ContractId) => `${id} (${ORIGIN_LABEL[originOf(id)]}): ${statement(id).text}`;
  await allure.descriptionHtml(c.ids.map((id) => `<p>${escapeMarkup(said(id))}</p>\n`).join(''));
  // the contract section of each id, where CONFORMANCE_CONTRACT_URL says it is published (the report itself
  // carries the contract as a global attachment: a relative link would break once the report is sent on)
  const base = process.env.CONFORMANCE_CONTRACT_URL;
  if (!base) return;
  for (const f of new Set(c.ids.map((id) => statement(id).feature)))
    await allure.link(`${base}#${CONTRACT_ANCHORS[f]}`, `contract: ${f}`);
}

/** How a broken check's error begins, which files it in Allure's categories (the run's CATEGORIES). */
const brokenLabel = (r: CheckResult) =>
  r.cause === 'environment' ? 'environment' : r.cause === 'product' ? 'precondition' : 'suite';

/** One check as a vitest test: labelled, run, and its result carried to the main process in the test's meta. */
async function runAsTest(c: Check, ctx: TestContext): Promise<void> {
  await label(c);
  const evidence = new ExchangeEvidence(runtimeMessages(ctx));
  // however the test ends (failed, broken, timed out), what is not joined yet is written in full on its step
  ctx.onTestFinished(() => evidence.each());
  const r = await executeCheck(c, runEnv(), allureReporter(evidence));
  ctx.task.meta.conformance = r;
  if (r.status === 'passed' || r.status === 'not-verified') evidence.joined();
  if (r.status === 'not-verified') ctx.skip(`not verified: ${r.reason}`);
  // a check that passed only when tried again: the report shows the flaky answer it met first
  if (r.retried) await allure.tags(r.status === 'passed' ? 'flaky: passed after a retry' : 'retried');
  if (r.status === 'broken') throw new Error(`${brokenLabel(r)}: ${r.reason}`);
  if (r.status === 'failed') {
    // the evidence, without a trace of the runner's frames
    const err = new Nonconformance(r.failures);
    err.stack = `${err.name}: ${err.message}`;
    throw err;
  }
}

/** The concurrency checks share a part: their bursts one at a time, each its own overlap, not another's. */
const partGroup = (c: CheckInfo) => (c.feature === 'Concurrency' ? 'Concurrency' : checkTitle(c));

/**
 * Registers part `index` of `count` of the selected checks (one test file a part, one part a worker: each
 * file loads the suite once, so fewer files start sooner). Parts are balanced by the checks' expected cost,
 * the same way for every seed. Within a part, features run one after another, each feature's checks
 * concurrently (the concurrency checks one at a time).
 */
export function registerPart(index: number, count: number): void {
  const state = harnessState();
  const selected = withRepeats(allChecks(state.config), state.selection.repeat).filter((c) => selects(state, c));
  const titles = new Set(shardBins(selected, count, partGroup)[index - 1]);
  const mine = selected.filter((c) => titles.has(checkTitle(c)));
  afterAll(async () => {
    if (shared) await drainSpares(shared);
    await shared?.http.close();
    shared = undefined;
  });
  if (mine.length === 0) test.skip(`no checks selected in part ${index} of ${count}`, () => undefined);
  for (const feature of new Set(mine.map((c) => c.feature))) {
    const sequential = feature === 'Concurrency';
    describe(feature, () => {
      for (const c of mine.filter((x) => x.feature === feature))
        (sequential ? test : test.concurrent)(checkTitle(c), (ctx) => runAsTest(c, ctx));
    });
  }
}
