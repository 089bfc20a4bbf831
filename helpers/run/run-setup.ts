// From the resolved configuration to a run ready to start: its id and marker, its reports folder (locked
// for it), the checks it selects, its ledger (opened before anything is created), and the preflight.
import type { KeyObject } from 'node:crypto';
import { join, relative } from 'node:path';
import { ConfigError, type Config, type Env } from '../config/config.ts';
import { finishRun } from './cleanup.ts';
import { reportsDir } from '../config/env-file.ts';
import { resolveTitle, selects, type Selection } from './harness-state.ts';
import { shardOf } from './shard.ts';
import { Ledger, LEDGER_SUBDIR, pendingInFile, removeLedger, startLedger } from './ledger.ts';
import { preflight, type Preflight } from './preflight.ts';
import { lockReports } from './reports-lock.ts';
import { MARKER_PREFIX, newRunId } from './run-env.ts';
import type { SuitePort } from './suite-port.ts';
import type { ResolvedTarget } from './target.ts';
import { signingKey as signingKeyOf } from '../report/signature.ts';

/** What the command asks of the run, from its arguments. */
export interface RunRequest {
  selection: Selection;
  /** --check-config (npm run doctor): validate and try the target, run no check */
  checkConfig: boolean;
  /** --baseline FILE: the conformance.json of an accepted run; what failed there and still fails does not gate */
  baseline?: string;
  /** --fail-on-incomplete: INCOMPLETE exits 1 */
  failOnIncomplete?: boolean;
  /** --shard i/n: the i-th of n balanced parts of the selected checks (1-based) */
  shard?: { index: number; count: number };
}

/** What the run holds that its end must release or delete, whichever way it ends. */
export interface Held {
  env: Env;
  resolved?: ResolvedTarget;
  /** once the ledger is open: what an interrupted run must still delete */
  opened?: { ledgerFile: string; marker: string };
  /** releases the reports folder's lock, once taken */
  release?: () => void;
}

export interface Prepared {
  cfg: Config;
  env: Env;
  /** the target as the console names it */
  targetLabel: string;
  signingKey?: KeyObject;
  runId: string;
  marker: string;
  reports: string;
  /** the reports folder as the console shows it: relative to the working directory when inside it */
  shown: string;
  ledgerFile: string;
  /** the selection, with --only naming one check resolved to that check */
  selection: Selection;
  /** how many checks the selection holds */
  selected: number;
}

const noneSelected = (s: Selection) =>
  new ConfigError(
    `--only ${s.only?.join(',') ?? ''} selects no check; name features ` +
      '(get, update, delete, timestamps, errors, security, concurrency, workflow), tags or contract ids',
  );

/** Everything before the first request: a bad signing key or selection, or a folder in use, refuses here. */
export function prepareRun(suite: SuitePort, request: RunRequest, held: Held, resolved: ResolvedTarget): Prepared {
  const { cfg, embedded } = resolved;
  const env = held.env;
  // a signing key that cannot sign is a configuration error before anything starts
  const signingKey = request.checkConfig ? undefined : signingKeyOf(env.CONFORMANCE_SIGNING_KEY);
  const runId = newRunId();
  const marker = MARKER_PREFIX + runId;
  const reports = reportsDir(env);
  const rel = relative(process.cwd(), reports);
  const shown = !rel ? '.' : rel.startsWith('..') ? reports : rel;
  const ledgerFile = join(reports, LEDGER_SUBDIR, `${runId}.jsonl`);
  const every = suite.checks(cfg, request.selection.repeat);
  const whole = resolveTitle(request.selection, every);
  const all = every.filter((c) => selects(whole, c));
  if (!all.length && !request.checkConfig) throw noneSelected(whole);
  // --shard: this run's balanced part of the selection (a part may be empty when N exceeds the checks)
  const selection = request.shard && !request.checkConfig ? { ...whole, shard: shardOf(all, request.shard) } : whole;
  const selected = selection.shard ? all.filter((c) => selects(selection, c)).length : all.length;
  // one run at a time replaces what is in the reports folder (a doctor writes nothing there but its ledger)
  if (!request.checkConfig) held.release = lockReports(reports, runId, shown);
  // written before anything is created: which target and entity the ids belong to, and which process owns them
  const target = cfg.baseUrl + cfg.resourcePath;
  const entityId = cfg.main.entityId;
  startLedger(ledgerFile, { runId, target, kind: cfg.target, entityId, markerField: cfg.markerField, marker });
  held.opened = { ledgerFile, marker };
  const targetLabel = embedded ? `${cfg.baseUrl} (embedded reference target)` : cfg.baseUrl;
  return { cfg, env, targetLabel, signingKey, runId, marker, reports, shown, ledgerFile, selection, selected };
}

/**
 * The preflight: the target answers as the Customer API, accepts the credentials and (unless read-only)
 * the entity, with one marked customer created and deleted at once. One it could not delete is deleted
 * now (the ledger stays while anything is left); a run that ends here, or a doctor's, keeps no empty ledger.
 */
export async function preflightRun(run: Prepared, checkConfig: boolean): Promise<Preflight> {
  const { cfg, ledgerFile, marker } = run;
  let pre: Preflight | undefined;
  try {
    pre = await preflight(cfg, run.selection.readOnly ? {} : { create: { ledger: new Ledger(ledgerFile), marker } });
  } finally {
    if (pendingInFile(ledgerFile).length) await finishRun(cfg, { ledgerFile, marker });
    if (!pendingInFile(ledgerFile).length && (checkConfig || !pre)) removeLedger(ledgerFile);
  }
  return pre;
}
