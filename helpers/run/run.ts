// `npm run conformance` once its arguments are read: resolve the target, run the preflight (or the doctor's
// checks), run every selected check under vitest, delete whatever the run created, write the reports and
// say the verdict. Exit 0: every verified check passed; 1: nonconformance; 2: configuration or environment
// error; 130: interrupted.
import { ConfigError, type Env } from '../config/config.ts';
import { finishRun } from './cleanup.ts';
import { withEnvFile } from '../config/env-file.ts';
import { exitCode } from './exit-code.ts';
import { Interrupts } from './interrupts.ts';
import { pendingInFile } from './ledger.ts';
import { chooseConnections, connectionNote } from './connection-probe.ts';
import { EnvironmentError } from './preflight.ts';
import { redactorFor } from './run-env.ts';
import { runInfo, suiteSource, type SuiteSource } from './run-info.ts';
import { prepareRun, preflightRun, type Held, type Prepared, type RunRequest } from './run-setup.ts';
import { RunWatch } from './run-watch.ts';
import { PhaseClock } from '../report/phase-clock.ts';
import { clearAway } from './clear-away.ts';
import type { SuitePort } from './suite-port.ts';
import { doctor, resolveTarget } from './target.ts';
import { runVitest, type VitestOutcome } from './vitest-driver.ts';
import { Progress } from '../report/progress.ts';
import { colourWanted, paint, summaryTable, type Paint, type RunInfo } from '../report/summary.ts';
import { writeReports } from '../report/write-reports.ts';
import { AllureRenderer } from '../report/render-allure.ts';
import { addJunitProperties } from '../report/junit-properties.ts';
import { appendStepSummary } from '../report/step-summary.ts';
import { contractInfo, contractMismatch, readBaseline, type Baseline } from '../report/baseline.ts';
import { cut, oneLine } from '../client/text.ts';

export type { RunRequest } from './run-setup.ts';

/** Where the run writes: `say` a line to stdout, `fail` lines to stderr (inert, prefixed `conformance: `). */
export interface Io {
  out: NodeJS.WriteStream;
  err: NodeJS.WriteStream;
  say(line: string): void;
  fail(lines: string): void;
}

interface Ctx {
  io: Io;
  p: Paint;
  interrupts: Interrupts;
  /** when each phase of the run ended: reports/timing.json */
  clock: PhaseClock;
  /** the deletion of the previous run's Allure folders, under way in the background */
  cleared?: Promise<void>;
  /** the Allure report's renderer, loaded while the checks run */
  renderer?: AllureRenderer;
  /** the suite's commit and tree, asked of git as the run starts */
  source: Promise<SuiteSource>;
  /** --baseline, read before anything starts; --fail-on-incomplete */
  baseline?: Baseline;
  failOnIncomplete?: boolean;
}

/** The run; its exit code. */
export async function runConformance(suite: SuitePort, request: RunRequest, baseEnv: Env, io: Io): Promise<number> {
  const ctx: Ctx = {
    io,
    p: paint(colourWanted(io.out.isTTY, baseEnv)),
    interrupts: new Interrupts(io.err).listen(),
    clock: new PhaseClock(),
    source: suiteSource(),
  };
  const held: Held = { env: baseEnv };
  let code: number;
  try {
    code = await phases(suite, request, held, ctx);
  } catch (e) {
    code = await failed(e, held, ctx);
  } finally {
    // the previous run's folders are gone before the reports folder is released to another run
    await ctx.cleared;
    held.release?.();
    ctx.renderer?.close();
    ctx.interrupts.stopListening();
    await held.resolved?.embedded?.close();
  }
  // an exception nothing caught stopped the run (interrupts.ts): whatever it found, the run did not go through
  const { fault } = ctx.interrupts;
  if (!fault || code === 130) return code;
  internalError(fault, held, ctx);
  return 2;
}

async function phases(suite: SuitePort, request: RunRequest, held: Held, ctx: Ctx): Promise<number> {
  // a baseline that is missing or not a conformance.json refuses before anything is created
  if (request.baseline) {
    ctx.baseline = readBaseline(request.baseline);
    const other = contractMismatch(ctx.baseline, contractInfo());
    if (other) ctx.io.fail(`warning: ${other}`);
  }
  ctx.failOnIncomplete = request.failOnIncomplete;
  // .env (or CONFORMANCE_ENV_FILE, e.g. staging.env) fills in what the environment does not set
  held.env = withEnvFile(held.env);
  held.resolved = await resolveTarget(held.env);
  const run = prepareRun(suite, request, held, held.resolved);
  const pre = await preflightRun(run, request.checkConfig);
  // the checks connect as the target answers sooner (connection-probe.ts)
  const chosen = await chooseConnections(run.cfg);
  const ready = { ...run, cfg: { ...run.cfg, connections: chosen.connections } };
  const connections = connectionNote(chosen);
  if (request.checkConfig) return checkConfig(ready, ctx.io, connections);
  return runChecks(ready, { deploymentVersion: pre.deploymentVersion, connections }, ctx);
}

/** `--check-config`: what the doctor adds to the preflight, and that the configuration is usable. */
async function checkConfig(run: Prepared, io: Io, connections: string | undefined): Promise<number> {
  const d = await doctor(run.cfg);
  if (d.problems.length) throw new EnvironmentError(d.problems.join('\n'));
  const entity = run.selection.readOnly ? '' : ' and the entity (one marked customer created and deleted)';
  io.say(`configuration OK; target ${run.targetLabel} answers as the Customer API, accepts the credentials${entity}`);
  for (const l of [...d.lines, ...(connections ? [`connections: ${connections}`] : [])]) io.say(l);
  return 0;
}

/** What the run found out before the checks: the deployment's version, and how the checks connect when not reused. */
interface Found {
  deploymentVersion?: string;
  connections?: string;
}

/** The checks under vitest, then the cleanup, the reports and the verdict. */
async function runChecks(run: Prepared, found: Found, ctx: Ctx): Promise<number> {
  const { cfg, reports } = run;
  const { io } = ctx;
  const source = await ctx.source;
  const info = runInfo(cfg, run.env, { runId: run.runId, selection: run.selection, ...found, source });
  io.say(
    `${ctx.p.bold('Customer API conformance')} ${info.suiteVersion} · target ${run.targetLabel} · ` +
      `${run.selected} checks · seed ${cfg.seed} · run ${run.runId}`,
  );
  if (found.connections) io.say(ctx.p.dim(`connections: ${found.connections}`));
  ctx.cleared = clearAway(reports, ['allure-results', 'allure-report']);
  ctx.renderer = new AllureRenderer();
  const progress = new Progress(run.selected, io.out, ctx.p);
  const watch = new RunWatch(progress, cfg.concurrency, () => void ctx.interrupts.cancel?.());
  const state = { config: cfg, runId: run.runId, ledgerFile: run.ledgerFile, selection: run.selection };
  const onBegin = () => ctx.clock.end('start');
  const onAllureFile = (name: string) => ctx.renderer?.written(name);
  // once a worker's part has ended, a core has less to do: the report starts there and reads each result
  const onPartEnd = () => ctx.renderer?.begin(reports);
  const outcome = await runVitest(
    { state, reports, info, onResult: watch.onResult, onBegin, onAllureFile, onPartEnd },
    ctx.interrupts,
  );
  ctx.clock.end('checks');
  ctx.renderer.ingest(reports);
  ctx.clock.suiteLoad = outcome.suiteLoad;
  progress.end();
  return finish(run, info, outcome, watch, ctx);
}

/** Deletes what the run left, writes the reports, prints the verdict; the exit code. */
async function finish(
  run: Prepared,
  info: RunInfo,
  outcome: VitestOutcome,
  watch: RunWatch,
  ctx: Ctx,
): Promise<number> {
  const { cfg } = run;
  const { io } = ctx;
  const { interrupted } = ctx.interrupts;
  // whatever a failing, timed-out or interrupted check left behind: the ids in the ledger, then anything
  // carrying the run's marker (a create whose answer never arrived)
  const fin = await finishRun(cfg, { ledgerFile: run.ledgerFile, marker: run.marker });
  ctx.clock.end('cleanup');
  // said last, after why the run ended: what the run could not delete
  const leftover = fin.failed.length
    ? `could not delete ${fin.failed.length} customer(s) created by this run: ${fin.failed.join(', ')}; ` +
      'run npm run cleanup'
    : undefined;
  if (!leftover && fin.deleted.length && (interrupted || outcome.timedOut || watch.stopped))
    io.say(`deleted ${fin.deleted.length} customer(s) the interrupted run had created`);
  const { results } = outcome;
  addJunitProperties(run.reports, info, results);
  const { summary, rendered } = await writeReports(
    { ...run, info, results, baseline: ctx.baseline },
    ctx.clock,
    ctx.renderer,
  );
  ctx.clock.end('report');
  ctx.clock.write(run.reports);
  appendStepSummary(run.env, summary, io.fail);
  io.say('');
  io.say(summaryTable(summary, ctx.p, io.out.columns ?? 120));
  sayReports(run.shown, rendered, ctx);
  const redactor = outcome.runnerErrors.length ? redactorFor(cfg) : undefined;
  const [code, why] = exitCode({
    interrupted,
    stopped: watch.stopped,
    stopCode: watch.stopCode,
    unusableCreates: watch.unusableCreates,
    timedOut: outcome.timedOut,
    runTimeoutMs: cfg.runTimeoutMs,
    results,
    selected: run.selected,
    runnerErrors: outcome.runnerErrors.map((m) => redactor!.text(m)),
    sweptDeleted: fin.deleted.length,
    overall: summary.overall,
    regressions: summary.baseline?.regressions,
    failOnIncomplete: ctx.failOnIncomplete,
    notVerified: summary.ids.filter((v) => v.verdict === 'not verified').map((v) => v.id),
  });
  for (const w of [...why, ...(leftover ? [leftover] : [])]) io.fail(w);
  return code;
}

/** Where the reports are; the Allure HTML report, or why there is none. */
function sayReports(shown: string, rendered: boolean, ctx: Ctx): void {
  const why = cut(oneLine(ctx.renderer?.why ?? 'Allure could not render it'), 200);
  const html = rendered
    ? `${shown}/allure-report/index.html`
    : ctx.p.yellow(`Allure HTML not rendered (${why}); results are in ${shown}/allure-results`);
  ctx.io.say(`reports: ${shown}/certificate.md · ${shown}/conformance.md · ${shown}/junit.xml · ${html}`);
}

/** A run that ended by an error: an interrupt is still an interrupt; the rest is said in one line. */
async function failed(e: unknown, held: Held, ctx: Ctx): Promise<number> {
  // an interrupt can break what was under way (a child process, a request): it is still an interrupt
  if (ctx.interrupts.interrupted) {
    const { resolved, opened } = held;
    if (resolved && opened && pendingInFile(opened.ledgerFile).length)
      await finishRun(resolved.cfg, opened).catch(() => undefined);
    return 130;
  }
  if (e instanceof ConfigError || e instanceof EnvironmentError) ctx.io.fail(e.message);
  else internalError(e, held, ctx);
  return 2;
}

/** An error of the suite's own (or its machine's), secrets masked; its stack with DEBUG=conformance. */
function internalError(e: unknown, held: Held, ctx: Ctx): void {
  const redactor = held.resolved ? redactorFor(held.resolved.cfg) : undefined;
  const mask = (t: string) => redactor?.text(t) ?? t;
  const message = (e as Error)?.message ?? String(e);
  ctx.io.fail(`internal error: ${mask(message)} (set DEBUG=conformance for details)`);
  if (held.env.DEBUG?.includes('conformance')) ctx.io.err.write(`${mask(String((e as Error)?.stack ?? message))}\n`);
}
