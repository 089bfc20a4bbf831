// Deleting what runs created, and nothing else: by id (the ledger written the moment a create is answered)
// and by the run marker (what a create whose answer was lost left behind). Used at the end of every run
// and by `npm run cleanup` for leftovers of earlier runs.
import { pool } from './pool.ts';
import { hostname } from 'node:os';
import { basename, resolve } from 'node:path';
import { CustomerApi, MARKER_RE, type Principal } from '../client/api.ts';
import { ConfigError, loadConfig, markerFields, wantsEmbedded, type Config, type Env } from './config.ts';
import { HttpClient } from '../client/http.ts';
import { sleep } from '../client/time.ts';
import { Ledger, LEDGER_SUBDIR, ledgerFiles, ledgerInUse, pendingInFile, readLedgerMeta, removeLedger } from './ledger.ts';
import { MARKER_PREFIX, redactorFor } from './run-env.ts';
import { EnvironmentError, preflight } from './preflight.ts';
import { withEnvFile } from './env-file.ts';
import { inert } from '../client/text.ts';
import { at } from '../client/json-path.ts';

type Obj = Record<string, unknown>;

export interface Removal {
  /** deleted now */
  deleted: string[];
  /** already gone (404) */
  gone: number;
  /** still there, or could not be asked */
  failed: string[];
}

const emptyRemoval = (): Removal => ({ deleted: [], gone: 0, failed: [] });
const merge = (a: Removal, b: Removal): Removal => ({ deleted: [...a.deleted, ...b.deleted], gone: a.gone + b.gone, failed: [...a.failed, ...b.failed] });

/** A client for cleaning up: retries where safe, and deletions recorded in `ledger` (or another one, with apiFor). */
export function cleanupClient(cfg: Config, ledger = new Ledger()): { api: CustomerApi; apiFor(l: Ledger): CustomerApi; close(): Promise<void> } {
  const http = new HttpClient({ timeoutMs: cfg.timeoutMs, retries: cfg.retries, connections: 8 });
  const apiFor = (l: Ledger) => new CustomerApi(http, cfg, redactorFor(cfg), l);
  return { api: apiFor(ledger), apiFor, close: () => http.destroy() };
}

/**
 * Deletes customers by id with the main credentials: 2xx and 404 both mean gone. A 403/404 is tried again
 * with the other entity's credentials when they are configured: a defective target may have moved a
 * customer of the run to that entity.
 */
export async function deleteIds(api: CustomerApi, cfg: Config, ids: readonly string[], as: 'main' | 'other' = 'main'): Promise<Removal> {
  const r = emptyRemoval();
  await pool(ids, 8, async (id) => {
    try {
      // deleted only when the target says so with 204, or a get then answers 404 (see CustomerApi.remove)
      const { res, gone } = await api.remove(id, as);
      if (gone && res.status !== 404) return void r.deleted.push(id);
      if (as === 'main' && (res.status === 403 || res.status === 404) && cfg.other) {
        const again = await api.remove(id, 'other');
        if (again.gone && again.res.status !== 404) return void r.deleted.push(id);
      }
      if (res.status === 404) r.gone++;
      else r.failed.push(id);
    } catch {
      r.failed.push(id);
    }
  });
  return r;
}

/** Deletes customers by id (kept for callers of the first version). */
export async function cleanupIds(cfg: Config, ids: readonly string[], ledger = new Ledger()): Promise<{ deleted: number; gone: number; failed: string[] }> {
  const c = cleanupClient(cfg, ledger);
  try {
    const r = await deleteIds(c.api, cfg, ids);
    return { deleted: r.deleted.length, gone: r.gone, failed: r.failed };
  } finally {
    await c.close();
  }
}

export interface Sweep extends Removal {
  /** matches left alone (`keep` said so) */
  skipped: number;
  /** why the target could not be searched, per credentials */
  unavailable: string[];
}

/**
 * Finds customers whose marker field starts with `prefix` (a run's marker, or `conformance-` for every run)
 * through the list endpoint, with the main and the other credentials, and deletes them. Only values that
 * start with the suite's own marker (`conformance-` and an 8-digit hex run id) are ever touched, whatever
 * the target's search returns. `keep` may spare a match (e.g. a run still in progress).
 */
export async function sweepMarker(api: CustomerApi, cfg: Config, prefix: string, keep: (c: Obj, marker: string) => boolean = () => false): Promise<Sweep> {
  const out: Sweep = { ...emptyRemoval(), skipped: 0, unavailable: [] };
  const principals: ('main' | 'other')[] = cfg.other ? ['main', 'other'] : ['main'];
  // every field a marker goes into (the second one for rows that replaced the first)
  for (const [as, field] of principals.flatMap((a) => markerFields(cfg).map((f) => [a, f] as const))) {
    const tried = new Set<string>();
    let spared = new Set<string>();
    // deleting shifts the pages, so search again until a round finds nothing new
    for (let round = 0; round < 20; round++) {
      let listing;
      try {
        listing = await api.listAll(api.markerSearch(prefix, field), as as Principal);
      } catch (e) {
        listing = { unavailable: (e as Error).message };
      }
      if (!('items' in listing)) {
        if (round === 0 && field === cfg.markerField) out.unavailable.push(`${as === 'main' ? '' : 'with the other credentials: '}${listing.unavailable}`);
        break;
      }
      spared = new Set();
      const todo: string[] = [];
      for (const c of listing.items) {
        const id = c.id;
        const value = markerOf(c, { markerField: field });
        const marker = value === undefined ? undefined : MARKER_RE.exec(value)?.[0];
        if (typeof id !== 'string' || !marker || !value!.startsWith(prefix) || tried.has(id)) continue;
        if (keep(c, marker)) spared.add(id);
        else todo.push(id);
      }
      if (!todo.length) break;
      for (const id of todo) tried.add(id);
      const r = await deleteIds(api, cfg, todo, as);
      out.deleted.push(...r.deleted);
      out.gone += r.gone;
      out.failed.push(...r.failed);
    }
    out.skipped += spared.size;
  }
  return out;
}

export function markerOf(c: Obj, cfg: Pick<Config, 'markerField'>): string | undefined {
  const value = at(c, cfg.markerField);
  return typeof value === 'string' ? value : undefined;
}

export interface Finish extends Removal {
  unavailable: string[];
}

/**
 * The end of every run, whatever happened to it: deletes every id the ledger still lists, then every
 * customer carrying the run's own marker (creates whose answer never arrived), and removes the ledger file
 * when nothing is left in it. What could not be deleted is tried twice more after a pause (a delete that
 * timed out may still land, a slow create may have landed since).
 */
export async function finishRun(cfg: Config, opts: { ledgerFile?: string; marker: string; ids?: readonly string[] }): Promise<Finish> {
  const ledger = new Ledger(opts.ledgerFile);
  const c = cleanupClient(cfg, ledger);
  const total: Finish = { deleted: [], gone: 0, failed: [], unavailable: [] };
  try {
    let again: string[] = [...(opts.ids ?? [])];
    for (let pass = 0; pass < 3; pass++) {
      if (pass > 0) await sleep(Math.min(2_000, cfg.timeoutMs));
      const ids = [...new Set([...(opts.ledgerFile ? pendingInFile(opts.ledgerFile) : []), ...again])];
      const byId = ids.length ? await deleteIds(c.api, cfg, ids) : emptyRemoval();
      const swept = await sweepMarker(c.api, cfg, opts.marker);
      const deleted = [...byId.deleted, ...swept.deleted];
      total.deleted.push(...deleted);
      total.gone += byId.gone + swept.gone;
      total.unavailable = swept.unavailable;
      again = [...new Set([...byId.failed, ...swept.failed])].filter((id) => !deleted.includes(id));
      total.failed = again;
      if (!again.length) break;
    }
    if (opts.ledgerFile && !pendingInFile(opts.ledgerFile).length && !total.failed.length) removeLedger(opts.ledgerFile);
    return total;
  } finally {
    await c.close();
  }
}

// ---- npm run cleanup ------------------------------------------------------------------------------------

const ROOT = resolve(import.meta.dirname, '../..');

export const CLEANUP_USAGE = `usage: npm run cleanup [-- options]
  Deletes customers that earlier runs created and left behind (a killed run, a target that failed to
  delete): every id still listed in reports/.ledger/, then every customer whose marker field
  (CUSTOMER_API_MARKER_FIELD, default company_name) starts with "conformance-<run id>". Nothing else.
  --older-than MIN  spare marked customers of runs not recorded here that are younger than MIN minutes
                    (they may belong to a run in progress on another machine; default: the run timeout,
                    CUSTOMER_API_RUN_TIMEOUT_MS, in minutes)
  --all             the same as --older-than 0
  --help            this text
configuration: the same variables as npm run conformance (.env, CONFORMANCE_ENV_FILE, CONFORMANCE_REPORTS_DIR)`;

interface CleanupArgs {
  olderThanMin?: number;
  help: boolean;
}

function parseCleanupArgs(argv: readonly string[]): CleanupArgs {
  const a: CleanupArgs = { help: false };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i]!;
    const [flag, inline] = x.includes('=') ? [x.slice(0, x.indexOf('=')), x.slice(x.indexOf('=') + 1)] : [x, undefined];
    if (flag === '--all') a.olderThanMin = 0;
    else if (flag === '--older-than') {
      const v = inline ?? argv[++i];
      if (!v || !/^\d+$/.test(v)) throw new ConfigError('--older-than needs a whole number of minutes, e.g. --older-than 60');
      a.olderThanMin = Number(v);
    } else if (flag === '--help' || flag === '-h') a.help = true;
    else throw new ConfigError(`unknown option ${x}; see npm run cleanup -- --help`);
  }
  return a;
}

const ageMs = (c: Obj, now: number): number | undefined => {
  const t = [c.created_at, c.updated_at].map((v) => (typeof v === 'string' ? Date.parse(v) : NaN)).filter((n) => !Number.isNaN(n));
  return t.length ? now - Math.max(...t) : undefined;
};

/** `npm run cleanup`. Exit 0: nothing left that it could identify; 2: configuration or environment error, or something could not be deleted. */
export async function cleanupMain(argv: readonly string[], baseEnv: Env, out = process.stdout, err = process.stderr): Promise<number> {
  const say = (s: string) => out.write(s + '\n');
  // each line inert: what a target sent (an id, a Location) can add no line and no escape sequence
  const fail = (s: string) => err.write(s.split('\n').map((l) => `cleanup: ${inert(l)}\n`).join(''));
  let cfg: Config | undefined;
  try {
    const args = parseCleanupArgs(argv);
    if (args.help) {
      say(CLEANUP_USAGE);
      return 0;
    }
    const env = withEnvFile(baseEnv);
    const reports = resolve(ROOT, env.CONFORMANCE_REPORTS_DIR?.trim() || 'reports');
    const files = ledgerFiles(resolve(reports, LEDGER_SUBDIR));
    const metas = new Map(files.map((f) => [f, readLedgerMeta(f)] as const));
    const active = new Set([...metas.values()].filter((m) => m && ledgerInUse(m)).map((m) => m!.runId));

    if (wantsEmbedded(env)) {
      // the embedded target lives inside one run's process: its customers end with it
      let removed = 0;
      for (const [f, m] of metas) {
        if (m?.kind === 'embedded' && !active.has(m.runId)) {
          removeLedger(f);
          removed++;
        }
      }
      say(`no CUSTOMER_API_BASE_URL: the embedded reference target keeps customers in memory only, so nothing can be left on it${removed ? `; removed ${removed} ledger file(s) of embedded runs` : ''}`);
      const remote = [...metas.values()].filter((m) => m && m.kind === 'remote');
      if (remote.length) say(`${remote.length} ledger file(s) belong to remote targets (${[...new Set(remote.map((m) => m!.target))].join(', ')}); set CUSTOMER_API_BASE_URL and the keys to clean them up`);
      return 0;
    }

    cfg = loadConfig(env);
    await preflight(cfg);
    const target = cfg.baseUrl + cfg.resourcePath;
    const olderThanMs = (args.olderThanMin ?? Math.ceil(cfg.runTimeoutMs / 60_000)) * 60_000;
    say(`cleanup of ${target} (entity ${cfg.main.entityId}${cfg.other ? `, and ${cfg.other.entityId} for customers a defective target moved there` : ''})`);

    // 1. ids the ledger files of finished runs still list
    const c = cleanupClient(cfg);
    let total = emptyRemoval();
    const knownRuns = new Set<string>();
    try {
      for (const [file, meta] of metas) {
        const runId = meta?.runId ?? basename(file, '.jsonl');
        knownRuns.add(runId);
        if (active.has(runId)) {
          say(`run ${runId}: still in progress (process ${meta!.pid} on ${hostname()}); left alone`);
          continue;
        }
        if (meta?.kind === 'embedded') {
          removeLedger(file);
          continue;
        }
        if (meta && (meta.target !== target || meta.entityId !== cfg.main.entityId)) {
          say(`run ${runId}: recorded for ${meta.target} (entity ${meta.entityId}); run the cleanup with that configuration`);
          continue;
        }
        const ids = pendingInFile(file);
        const r = ids.length ? await deleteIds(c.apiFor(new Ledger(file)), cfg, ids) : emptyRemoval();
        for (const id of r.deleted) say(`deleted ${id} (run ${runId}, from the ledger)`);
        if (r.gone) say(`run ${runId}: ${r.gone} customer(s) already gone`);
        total = merge(total, r);
        if (!pendingInFile(file).length) removeLedger(file);
      }

      // 2. customers carrying a marker of this suite: runs recorded here (finished) at once, others when old enough
      const now = Date.now();
      const young = new Set<unknown>();
      const swept = await sweepMarker(c.api, cfg, MARKER_PREFIX, (cust, marker) => {
        const runId = marker.slice(MARKER_PREFIX.length);
        if (active.has(runId)) return true;
        if (knownRuns.has(runId)) return false;
        const age = ageMs(cust, now);
        const keep = olderThanMs > 0 && (age === undefined || age < olderThanMs);
        if (keep) young.add(cust.id);
        return keep;
      });
      for (const id of swept.deleted) say(`deleted ${id} (found by marker)`);
      total = merge(total, swept);
      if (swept.unavailable.length) say(`the search by marker (${c.api.markerSearch(MARKER_PREFIX)}) could not be used: ${swept.unavailable.join('; ')}; only ids recorded in the ledger were cleaned up`);
      if (young.size) say(`spared ${young.size} marked customer(s) of runs not recorded here, created less than ${olderThanMs / 60_000} min ago (a run in progress elsewhere?); --all includes them`);
    } finally {
      await c.close();
    }
    const failed = [...new Set(total.failed)].filter((id) => !total.deleted.includes(id));
    say(`removed ${total.deleted.length} customer(s)${total.gone ? `; ${total.gone} were already gone` : ''}${failed.length ? `; ${failed.length} could not be deleted` : ''}`);
    if (failed.length) {
      fail(`could not delete ${failed.length} customer(s): ${failed.join(', ')}; they stay in the ledger, try again later`);
      return 2;
    }
    return 0;
  } catch (e) {
    if (e instanceof ConfigError || e instanceof EnvironmentError) fail(e.message);
    else fail(`internal error: ${cfg ? redactorFor(cfg).text((e as Error)?.message ?? String(e)) : (e as Error)?.message ?? String(e)}`);
    return 2;
  }
}
