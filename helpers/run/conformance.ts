// `npm run conformance`: resolve the target, run every selected check under vitest (Allure, JUnit and
// result reporters), delete whatever the run created, write the summaries, render the HTML report and
// print the verdict. Exit 0: every verified check passed; 1: nonconformance; 2: configuration or
// environment error; 130: interrupted.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { hostname, userInfo } from 'node:os';
import { join, relative, resolve } from 'node:path';
import type { CheckResult } from '../report/result.ts';
import { ConfigError, judgingSettings, markerFields, type Config, type Env } from './config.ts';
import { finishRun } from './cleanup.ts';
import { Ledger, LEDGER_SUBDIR, pendingInFile, removeLedger, startLedger } from './ledger.ts';
import { HARNESS_VAR, resolveTitle, selects, type HarnessState, type Selection } from './harness-state.ts';
import { Progress } from '../report/progress.ts';
import ResultsReporter from '../report/results-reporter.ts';
import { checkCounts, paint, summarize, summaryTable, writeSummary, type RunInfo } from '../report/summary.ts';
import { originCounts } from '../report/verdict.ts';
import { writeCertificate } from '../report/certificate.ts';
import { detectExecutor, writeExecutor } from '../report/executor.ts';
import { signingKey as signingKeyOf } from '../report/evidence.ts';
import { READING_POINTS, settingShown } from '../../fixtures/contract/readings.ts';
import { MARKER_PREFIX, newRunId, redactorFor } from './run-env.ts';
import { doctor, resolveTarget } from './target.ts';
import { EnvironmentError, preflight } from './preflight.ts';
import { withEnvFile } from './env-file.ts';
import { inert } from '../client/text.ts';
import { lockReports } from './reports-lock.ts';
import { makeOffline } from '../report/offline.ts';
import { writeReportGlobals } from '../report/report-globals.ts';
import { writeReproductions } from '../report/reproduce.ts';
import type { SuitePort } from './suite-port.ts';

const ROOT = resolve(import.meta.dirname, '../..');
/** More checks than this broken by the environment (even when tried again) make the run exit 2: "target unstable". */
export const MAX_BROKEN = 3;
/** Where reports go: reports/ of the project, or CONFORMANCE_REPORTS_DIR (e.g. one folder per CI job). */
export const reportsDir = (env: Env = process.env): string => resolve(ROOT, env.CONFORMANCE_REPORTS_DIR?.trim() || 'reports');

export interface Args {
  selection: Selection;
  checkConfig: boolean;
  help: boolean;
}

export const USAGE = `usage: npm run conformance [-- options]
  --only LIST      run only these features, tags or contract ids (comma-separated),
                   e.g. --only get,update  or  --only smoke  or  --only CUS-TS;
                   or one check, by its title as the reports show it: --only '[CUS-GET-200] GET of …'
  --read-only      run only checks that create nothing
  --repeat N       soak mode: run the workflow checks N times, each with fresh data
  --check-config   validate the configuration and try the target: reads, and one marked customer
                   created and deleted at once (nothing with --read-only)
  --help           this text
configuration: environment variables or .env (see .env.example)`;

export function parseArgs(argv: readonly string[]): Args {
  const a: Args = { selection: {}, checkConfig: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i]!;
    const [flag, inline] = x.includes('=') ? [x.slice(0, x.indexOf('=')), x.slice(x.indexOf('=') + 1)] : [x, undefined];
    if (flag === '--only') {
      const v = inline ?? argv[++i];
      if (!v) throw new ConfigError('--only needs a comma-separated list, e.g. --only get,update');
      a.selection.only = v.split(',').map((s) => s.trim()).filter(Boolean);
      a.selection.onlyText = v;
    } else if (flag === '--read-only') a.selection.readOnly = true;
    else if (flag === '--repeat') {
      const v = inline ?? argv[++i];
      if (!v || !/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 100_000) throw new ConfigError('--repeat needs a whole number from 1 to 100000, e.g. --repeat 500');
      a.selection.repeat = Number(v);
    }
    else if (flag === '--check-config' || flag === '--doctor') a.checkConfig = true;
    else if (flag === '--help' || flag === '-h') a.help = true;
    else throw new ConfigError(`unknown option ${x}; see npm run conformance -- --help`);
  }
  return a;
}

function git(...args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return undefined;
  }
}

/** The suite's commit, short and whole, and whether the checkout holds uncommitted changes (reports/ aside). */
function suiteSource(): Pick<RunInfo, 'gitCommit' | 'gitCommitFull' | 'treeClean'> {
  const full = git('rev-parse', 'HEAD') || undefined;
  const status = git('status', '--porcelain', '--untracked-files=normal');
  return { gitCommit: full?.slice(0, 7), gitCommitFull: full, treeClean: status === undefined ? undefined : status.split('\n').filter((l) => l && !/^.. reports\//.test(l)).length === 0 };
}

/** The deployment choices in force, as the certificate records them. */
function choicesOf(cfg: Config): Record<string, string> {
  return {
    'update method': cfg.updateMethod,
    'update semantics': cfg.updateSemantics,
    'create status': String(cfg.createStatus),
    'malformed id status': String(cfg.malformedIdStatus),
    "another entity's customer status": String(cfg.otherEntityStatus),
    languages: cfg.languages?.join(', ') ?? 'ISO 639-1 (the contract default)',
    'field map': Object.keys(cfg.fieldMap).length ? JSON.stringify(cfg.fieldMap) : 'none (contract names)',
    'error body shape': cfg.errorFields ?? 'code:integer, message:string, details?:object, timestamp:integer (the contract)',
    authentication: cfg.auth,
    'marker fields': markerFields(cfg).join(', '),
    'other-entity credentials': cfg.other ? `configured (entity ${cfg.other.entityId})` : 'not configured',
  };
}

export const suiteVersion = (): string => (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/**
 * Renders reports/allure-results into one self-contained reports/allure-report/index.html that calls no host,
 * with the certificate and the contract attached to the report as a whole.
 */
export function renderAllure(reports: string, name = 'Customer API conformance'): boolean {
  // the package's exports hide package.json, so find it beside the resolved entry point
  const require = createRequire(import.meta.url);
  const pkg = join(require.resolve('allure').split('/node_modules/allure/')[0]!, 'node_modules', 'allure', 'package.json');
  const b = (JSON.parse(readFileSync(pkg, 'utf8')) as { bin: string | Record<string, string> }).bin;
  const bin = typeof b === 'string' ? b : b.allure!;
  const r = spawnSync(process.execPath, [join(pkg, '..', bin), 'generate', join(reports, 'allure-results'), writeReportGlobals(reports), '--config', 'allurerc.mjs'], {
    cwd: ROOT,
    env: { ...process.env, CONFORMANCE_REPORTS_DIR: reports, CONFORMANCE_REPORT_NAME: name },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  });
  if (r.status !== 0) return false;
  makeOffline(join(reports, 'allure-report'));
  return true;
}

/** Adds entries to the results' environment.properties (Java properties: spaces, = and : in keys escaped). */
function appendEnvironment(resultsDir: string, entries: Record<string, string>): void {
  const key = (k: string) => k.replace(/([ =:\\])/g, '\\$1');
  const lines = Object.entries(entries).map(([k, v]) => `${key(k)}=${v.replace(/\n/g, ' ')}`);
  const file = join(resultsDir, 'environment.properties');
  const before = existsSync(file) ? readFileSync(file, 'utf8') : '';
  writeFileSync(file, `${lines.join('\n')}\n${before}`);
}

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

// categories.json in the results, for Allure 2 and TestOps readers of them; the HTML report (Allure 3)
// takes the same categories from allurerc.mjs
const CATEGORIES = [
  { name: 'Nonconformance (product defects)', matchedStatuses: ['failed'] },
  { name: 'Environment, not the product (no answer, gateway, redirect, refused keys)', matchedStatuses: ['broken'], messageRegex: 'environment:[\\s\\S]*' },
  { name: 'No customer to test with (the product refused a valid create)', matchedStatuses: ['broken'], messageRegex: 'precondition:[\\s\\S]*' },
  { name: 'Suite errors', matchedStatuses: ['broken'] },
  { name: 'Not verified', matchedStatuses: ['skipped'] },
];

export async function main(suite: SuitePort, argv: readonly string[], baseEnv: Env, out = process.stdout, err = process.stderr): Promise<number> {
  const p = paint(!!out.isTTY && !baseEnv.NO_COLOR);
  const say = (s: string) => out.write(s + '\n');
  // each line inert: what a target sent (an id, a Location) can add no line and no escape sequence
  const fail = (s: string) => err.write(s.split('\n').map((l) => `conformance: ${inert(l)}\n`).join(''));
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    fail((e as Error).message);
    return 2;
  }
  if (args.help) {
    say(USAGE);
    return 0;
  }
  let env: Env = baseEnv;

  let resolved: Awaited<ReturnType<typeof resolveTarget>> | undefined;
  /** once the ledger is open: what an interrupted run must still delete */
  let opened: { ledgerFile: string; marker: string } | undefined;
  /** releases the reports folder's lock, once taken */
  let release: (() => void) | undefined;
  let interrupted: string | undefined;
  let cancel: (() => Promise<void>) | undefined;
  let lastSignal = 0;
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    // one Ctrl-C can arrive twice (from the terminal and relayed by npm/tsx)
    if (Date.now() - lastSignal < 300) return;
    lastSignal = Date.now();
    signals++;
    if (signals === 2) return void err.write(`conformance: still deleting what the run created; ${sig} once more abandons that (npm run cleanup removes it later)\n`);
    if (signals > 2) process.exit(130);
    interrupted = sig;
    err.write(`\nconformance: ${sig} received: stopping the run and deleting what it created…\n`);
    void cancel?.();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // the terminal went away (an ssh session closed): stop and clean up as for Ctrl-C
  process.on('SIGHUP', onSignal);
  try {
    // .env (or CONFORMANCE_ENV_FILE, e.g. staging.env) fills in what the environment does not set
    env = withEnvFile(baseEnv);
    resolved = await resolveTarget(env);
    const cfg = resolved.cfg;
    const targetLabel = resolved.embedded ? `${cfg.baseUrl} (embedded reference target)` : cfg.baseUrl;
    // a signing key that cannot sign is a configuration error before anything starts
    const signingKey = args.checkConfig ? undefined : signingKeyOf(env.CONFORMANCE_SIGNING_KEY);
    const runId = newRunId();
    const marker = MARKER_PREFIX + runId;
    const REPORTS = reportsDir(env);
    const rel = relative(process.cwd(), REPORTS);
    const shown = !rel ? '.' : rel.startsWith('..') ? REPORTS : rel;
    const ledgerFile = join(REPORTS, LEDGER_SUBDIR, `${runId}.jsonl`);
    const every = suite.checks(cfg, args.selection.repeat);
    args.selection = resolveTitle(args.selection, every);
    const selected = every.filter((c) => selects(args.selection, c));
    if (!selected.length && !args.checkConfig) throw new ConfigError(`--only ${args.selection.only?.join(',') ?? ''} selects no check; name features (get, update, delete, timestamps, errors, security, workflow), tags or contract ids`);
    // one run at a time replaces what is in the reports folder (a doctor writes nothing there but its ledger)
    if (!args.checkConfig) release = lockReports(REPORTS, runId, shown);
    // written before anything is created: which target and entity the ids belong to, and which process owns them
    startLedger(ledgerFile, { runId, target: cfg.baseUrl + cfg.resourcePath, kind: cfg.target, entityId: cfg.main.entityId, markerField: cfg.markerField, marker });
    opened = { ledgerFile, marker };
    let pre: Awaited<ReturnType<typeof preflight>> | undefined;
    try {
      pre = await preflight(cfg, args.selection.readOnly ? {} : { create: { ledger: new Ledger(ledgerFile), marker } });
    } finally {
      // the preflight's customer is deleted at once; one it could not delete is deleted now (the ledger
      // stays while anything is left); a run that ends here, or a doctor's, keeps no empty ledger
      if (pendingInFile(ledgerFile).length) await finishRun(cfg, { ledgerFile, marker });
      if (!pendingInFile(ledgerFile).length && (args.checkConfig || !pre)) removeLedger(ledgerFile);
    }
    if (args.checkConfig) {
      const d = await doctor(cfg);
      if (d.problems.length) throw new EnvironmentError(d.problems.join('\n'));
      say(`configuration OK; target ${targetLabel} answers as the Customer API, accepts the credentials${args.selection.readOnly ? '' : ' and the entity (one marked customer created and deleted)'}`);
      for (const l of d.lines) say(l);
      return 0;
    }

    const startedAt = new Date().toISOString();
    const info: RunInfo = {
      target: cfg.baseUrl,
      targetKind: cfg.target,
      suiteVersion: suiteVersion(),
      ...suiteSource(),
      ranBy: `${userInfo().username}@${hostname()}`,
      ci: ((e) => (e ? `${e.name}${e.buildName ? ` ${e.buildName}` : ''}${e.buildUrl ? ` (${e.buildUrl})` : ''}` : undefined))(detectExecutor(env)),
      deploymentVersion: pre.deploymentVersion,
      seed: cfg.seed,
      runId,
      startedAt,
      finishedAt: startedAt,
      selection: [args.selection.only?.length ? `only ${args.selection.only.join(',')}` : '', args.selection.readOnly ? 'read-only' : '', (args.selection.repeat ?? 1) > 1 ? `workflows ×${args.selection.repeat}` : ''].filter(Boolean).join(', ') || undefined,
      node: process.version,
    };
    say(`${p.bold('Customer API conformance')} ${info.suiteVersion} · target ${targetLabel} · ${selected.length} checks · seed ${cfg.seed} · run ${runId}`);

    const state: HarnessState = { config: cfg, runId, ledgerFile, selection: args.selection };
    process.env[HARNESS_VAR] = JSON.stringify(state);
    for (const d of ['allure-results', 'allure-report']) rmSync(join(REPORTS, d), { recursive: true, force: true });

    const progress = new Progress(selected.length, out, p);
    const resultsFile = join(REPORTS, '.results.json');
    rmSync(resultsFile, { force: true });
    const { createVitest } = await import('vitest/node');
    // results and attachments written as each test ends, so nothing accumulates over a long run
    const { default: AllureReporter } = await import('../report/allure-streaming.ts');
    let timedOut = false;
    let stopped: string | undefined;
    let stopCode: 1 | 2 = 2;
    let unusableCreates = 0;
    let brokenInARow = 0;
    const brokenStreak = Math.max(12, 2 * cfg.concurrency);
    const stop = (why: string, code: 1 | 2 = 2) => {
      if (stopped) return;
      stopped = why;
      stopCode = code;
      void cancel?.();
    };
    const onResult = (r: CheckResult) => {
      progress.add(r);
      // answers in a row that only the environment gives (no answer, gateways, redirects, refused keys,
      // login pages), or checks in a row that broke on them even when tried again (a target that stopped
      // answering one operation): the run stops, cleans up and says why, instead of judging the product
      if (r.stop) stop(r.stop, r.stopCode);
      unusableCreates = Math.max(unusableCreates, r.unusableCreates ?? 0);
      brokenInARow = r.status === 'broken' && r.cause === 'environment' ? brokenInARow + 1 : 0;
      if (brokenInARow >= brokenStreak) stop(`${brokenStreak} checks in a row broke on the environment even when tried again (the last: ${r.reason?.split('\n')[0]})`);
    };
    for (const [k, v] of [['TEST', 'true'], ['VITEST', 'true'], ['NODE_ENV', 'test']] as const) process.env[k] ??= v;
    const listening = new Set([...process.listeners('SIGINT'), ...process.listeners('SIGTERM')]);
    // created, then started (not startVitest, which returns only when the run is over): so Ctrl-C and the
    // run timeout can cancel a run in progress
    const vitest = await createVitest(
      'test',
      {
        root: ROOT,
        config: false,
        include: ['suites/**/*.test.ts'],
        watch: false,
        pool: 'threads',
        // isolation stays on: allure-vitest installs its runtime per test file
        maxWorkers: 2,
        fileParallelism: true,
        // per worker: the workers together keep CUSTOMER_API_CONCURRENCY requests in flight at most
        maxConcurrency: Math.max(1, Math.ceil(cfg.concurrency / 2)),
        testTimeout: cfg.timeoutMs * 30,
        hookTimeout: cfg.timeoutMs * 3,
        reporters: [
          new ResultsReporter({ file: resultsFile, onResult }),
          new AllureReporter({ resultsDir: join(REPORTS, 'allure-results'), environmentInfo: environmentInfo(cfg, info), categories: CATEGORIES as never }),
          ['junit', { outputFile: join(REPORTS, 'junit.xml'), suiteName: 'Customer API conformance', addFileAttribute: false }],
        ],
      },
      { logLevel: 'silent', clearScreen: false },
    );
    // vitest's logger exits the process on SIGINT/SIGTERM, before anything is deleted: the run handles them
    for (const sig of ['SIGINT', 'SIGTERM'] as const) for (const l of process.listeners(sig)) if (!listening.has(l)) process.off(sig, l);
    cancel = async () => {
      await vitest.cancelCurrentRun('keyboard-input').catch(() => undefined);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      void cancel?.();
    }, cfg.runTimeoutMs);
    try {
      if (!interrupted) await vitest.start([]);
    } finally {
      clearTimeout(timer);
      await vitest.close();
    }
    progress.end();

    // whatever a failing, timed-out or interrupted check left behind: the ids in the ledger, then anything
    // carrying the run's marker (a create whose answer never arrived)
    const fin = await finishRun(cfg, { ledgerFile, marker: MARKER_PREFIX + runId });
    // said last, after why the run ended: what the run could not delete
    const leftover = fin.failed.length ? `could not delete ${fin.failed.length} customer(s) created by this run: ${fin.failed.join(', ')}; run npm run cleanup` : undefined;
    if (!leftover && fin.deleted.length && (interrupted || timedOut || stopped)) say(`deleted ${fin.deleted.length} customer(s) the interrupted run had created`);

    const results: CheckResult[] = existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as CheckResult[]) : [];
    // a script per failed check that a vendor can run to see the nonconformance, and to confirm a fix
    const scripts = writeReproductions(REPORTS, results, { bearer: cfg.auth === 'bearer', settings: judgingSettings(env, cfg) });
    for (const r of results) {
      const script = scripts.get(r.title);
      if (script) r.reproduction = relative(process.cwd(), script) || script;
      delete r.replay;
    }
    info.finishedAt = new Date().toISOString();
    const summary = summarize(info, results);
    writeSummary(REPORTS, summary);
    writeExecutor(join(REPORTS, 'allure-results'), env);
    // the verdict on the report's landing page: its name, and the first entries of its environment
    const verdictLine = `${summary.overall}${cfg.target === 'embedded' ? ' (reference run against the embedded target, not a certification)' : ''}`;
    appendEnvironment(join(REPORTS, 'allure-results'), { verdict: verdictLine, statements: originCounts(summary.statements), checks: checkCounts(summary.checks) });
    // last of the evidence: it digests the files above
    const readings = Object.fromEntries(READING_POINTS.map((pt) => settingShown(cfg.readings, pt.id).split('=') as [string, string]));
    writeCertificate(REPORTS, summary, { choices: choicesOf(cfg), readings, signingKey });
    const rendered = renderAllure(REPORTS, `Customer API conformance — ${verdictLine}`);
    say('');
    say(summaryTable(summary, p, out.columns ?? 120));
    say(`reports: ${shown}/certificate.md · ${shown}/conformance.md · ${shown}/junit.xml · ${rendered ? `${shown}/allure-report/index.html` : p.yellow(`Allure HTML not rendered (allure generate failed); results are in ${shown}/allure-results`)}`);
    const unstable = results.filter((r) => r.status === 'broken' && r.cause !== 'product');
    const [code, why]: [number, string[]] = interrupted
      ? [130, []]
      : stopped && unusableCreates
        ? [stopCode, [`stopped: ${stopped}`, `${unusableCreates} create(s) answered without a usable customer may each have stored one this run cannot delete by id (the end-of-run search by marker deleted ${fin.deleted.length} customer(s)); run npm run cleanup to search for them again`]]
        : stopped
          ? [2, [`stopped: the target does not answer as the Customer API does (${stopped})`, 'check CUSTOMER_API_BASE_URL, the credentials and the network (npm run doctor); nothing was judged from these answers']]
        : unstable.length > MAX_BROKEN
          ? [2, [`the target is unstable: ${unstable.length} checks got no usable answer even when tried again (the first: ${unstable[0]!.reason?.split('\n')[0]}); their statements are not verified`]]
          : timedOut
            ? [2, [`the run exceeded CUSTOMER_API_RUN_TIMEOUT_MS=${cfg.runTimeoutMs} and was stopped; raise it or check the target's latency`]]
            : results.length < selected.length
              ? [2, [`only ${results.length} of ${selected.length} checks reported a result; see reports/allure-report`]]
              : [summary.overall === 'NOT CONFORMANT' ? 1 : 0, []];
    for (const w of [...why, ...(leftover ? [leftover] : [])]) fail(w);
    return code;
  } catch (e) {
    // an interrupt can break what was under way (a child process, a request): it is still an interrupt
    if (interrupted) {
      if (resolved && opened && pendingInFile(opened.ledgerFile).length) await finishRun(resolved.cfg, opened).catch(() => undefined);
      return 130;
    }
    if (e instanceof ConfigError || e instanceof EnvironmentError) fail(e.message);
    else fail(`internal error: ${(resolved ? redactorFor(resolved.cfg) : undefined)?.text((e as Error)?.message ?? String(e)) ?? (e as Error)?.message ?? String(e)} (set DEBUG=conformance for details)`);
    if (env.DEBUG?.includes('conformance')) err.write(`${(e as Error)?.stack}\n`);
    return 2;
  } finally {
    release?.();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
    await resolved?.embedded?.close();
  }
}
