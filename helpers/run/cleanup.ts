// Deleting what runs created, and nothing else: by id (the ledger written the moment a create is answered)
// and by the run marker (what a create whose answer was lost left behind). Used at the end of every run
// and by `npm run cleanup` for leftovers of earlier runs.
import { pool } from './pool.ts';
import { hostname } from 'node:os';
import { basename, resolve } from 'node:path';
import { CustomerApi, MARKER_RE } from '../client/api.ts';
import { markerFields, type Config } from './config.ts';
import { HttpClient } from '../client/http.ts';
import { sleep } from '../client/time.ts';
import { Ledger, LEDGER_SUBDIR, ledgerFiles, ledgerInUse, pendingInFile, readLedgerMeta } from './ledger.ts';
import { removeLedger, type RunMeta } from './ledger.ts';
import { MARKER_PREFIX, redactorFor } from './run-env.ts';
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
const merge = (a: Removal, b: Removal): Removal => ({
  deleted: [...a.deleted, ...b.deleted],
  gone: a.gone + b.gone,
  failed: [...a.failed, ...b.failed],
});

/** A client for cleaning up: retries where safe, and deletions recorded in `ledger` (or another one, with apiFor). */
export function cleanupClient(
  cfg: Config,
  ledger = new Ledger(),
): { api: CustomerApi; apiFor(l: Ledger): CustomerApi; close(): Promise<void> } {
  const http = new HttpClient({ timeoutMs: cfg.timeoutMs, retries: cfg.retries, connections: 8 });
  const apiFor = (l: Ledger) => new CustomerApi(http, cfg, redactorFor(cfg), l);
  return { api: apiFor(ledger), apiFor, close: () => http.destroy() };
}

/**
 * Deletes customers by id with the main credentials: 2xx and 404 both mean gone. A 403/404 is tried again
 * with the other entity's credentials when they are configured: a defective target may have moved a
 * customer of the run to that entity.
 */
export async function deleteIds(
  api: CustomerApi,
  cfg: Config,
  ids: readonly string[],
  as: 'main' | 'other' = 'main',
): Promise<Removal> {
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
export async function cleanupIds(
  cfg: Config,
  ids: readonly string[],
  ledger = new Ledger(),
): Promise<{ deleted: number; gone: number; failed: string[] }> {
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
export async function sweepMarker(
  api: CustomerApi,
  cfg: Config,
  prefix: string,
  keep: (c: Obj, marker: string) => boolean = () => false,
): Promise<Sweep> {
  const out: Sweep = { ...emptyRemoval(), skipped: 0, unavailable: [] };
  const credentials: ('main' | 'other')[] = cfg.other ? ['main', 'other'] : ['main'];
  // every field a marker goes into (the second one for rows that replaced the first)
  for (const [as, field] of credentials.flatMap((a) => markerFields(cfg).map((f) => [a, f] as const))) {
    const tried = new Set<string>();
    let spared = new Set<string>();
    // deleting shifts the pages, so search again until a round finds nothing new
    for (let round = 0; round < 20; round++) {
      let listing;
      try {
        listing = await api.listAll(api.markerSearch(prefix, field), as);
      } catch (e) {
        listing = { unavailable: (e as Error).message };
      }
      if (!('items' in listing)) {
        if (round === 0 && field === cfg.markerField)
          out.unavailable.push(`${as === 'main' ? '' : 'with the other credentials: '}${listing.unavailable}`);
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
export async function finishRun(
  cfg: Config,
  opts: { ledgerFile?: string; marker: string; ids?: readonly string[] },
): Promise<Finish> {
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
    if (opts.ledgerFile && !pendingInFile(opts.ledgerFile).length && !total.failed.length)
      removeLedger(opts.ledgerFile);
    return total;
  } finally {
    await c.close();
  }
}

// ---- leftovers of earlier runs (npm run cleanup) ----------------------------------------------------------

/** The ledger files of a reports folder, what each records, and the runs whose process still runs. */
export interface Ledgers {
  metas: Map<string, RunMeta | undefined>;
  active: Set<string>;
}

export function readLedgers(reports: string): Ledgers {
  const files = ledgerFiles(resolve(reports, LEDGER_SUBDIR));
  const metas = new Map(files.map((f) => [f, readLedgerMeta(f)] as const));
  const active = new Set([...metas.values()].filter((m) => m && ledgerInUse(m)).map((m) => m!.runId));
  return { metas, active };
}

/** Without a base URL: the embedded target lives inside one run's process, so its customers end with it. */
type Say = (line: string) => void;

export function forgetEmbeddedRuns({ metas, active }: Ledgers, say: Say): void {
  let removed = 0;
  for (const [f, m] of metas) {
    if (m?.kind === 'embedded' && !active.has(m.runId)) {
      removeLedger(f);
      removed++;
    }
  }
  const inMemory = 'the embedded reference target keeps customers in memory only, so nothing can be left on it';
  say(`no CUSTOMER_API_BASE_URL: ${inMemory}${removed ? `; removed ${removed} ledger file(s) of embedded runs` : ''}`);
  const remote = [...metas.values()].filter((m) => m && m.kind === 'remote');
  if (!remote.length) return;
  const targets = [...new Set(remote.map((m) => m!.target))].join(', ');
  const hint = 'set CUSTOMER_API_BASE_URL and the keys to clean them up';
  say(`${remote.length} ledger file(s) belong to remote targets (${targets}); ${hint}`);
}

/**
 * What earlier runs left on the configured target: the ids the ledger files of finished runs still list,
 * then customers carrying a marker of this suite (runs recorded here at once, others when older than
 * `olderThanMs`). Runs in progress are left alone.
 */
export async function removeLeftovers(cfg: Config, ledgers: Ledgers, olderThanMs: number, say: Say) {
  const c = cleanupClient(cfg);
  try {
    const { removal, knownRuns } = await deleteLedgered(c, cfg, ledgers, say);
    const swept = await sweepEarlierRuns(c.api, cfg, { active: ledgers.active, knownRuns, olderThanMs }, say);
    return merge(removal, swept);
  } finally {
    await c.close();
  }
}

type CleanupClient = ReturnType<typeof cleanupClient>;
type Ledgered = { removal: Removal; knownRuns: Set<string> };

/** 1. ids the ledger files of finished runs still list; a ledger left empty is removed. */
async function deleteLedgered(c: CleanupClient, cfg: Config, ledgers: Ledgers, say: Say): Promise<Ledgered> {
  const { metas, active } = ledgers;
  const target = cfg.baseUrl + cfg.resourcePath;
  let total = emptyRemoval();
  const knownRuns = new Set<string>();
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
      const where = `${meta.target} (entity ${meta.entityId})`;
      say(`run ${runId}: recorded for ${where}; run the cleanup with that configuration`);
      continue;
    }
    const ids = pendingInFile(file);
    const r = ids.length ? await deleteIds(c.apiFor(new Ledger(file)), cfg, ids) : emptyRemoval();
    for (const id of r.deleted) say(`deleted ${id} (run ${runId}, from the ledger)`);
    if (r.gone) say(`run ${runId}: ${r.gone} customer(s) already gone`);
    total = merge(total, r);
    if (!pendingInFile(file).length) removeLedger(file);
  }
  return { removal: total, knownRuns };
}

const ageMs = (c: Obj, now: number): number | undefined => {
  const t = [c.created_at, c.updated_at]
    .map((v) => (typeof v === 'string' ? Date.parse(v) : NaN))
    .filter((n) => !Number.isNaN(n));
  return t.length ? now - Math.max(...t) : undefined;
};

/** The runs a sweep spares: those in progress, and unknown ones younger than `olderThanMs` (0: none). */
type Spare = { active: Set<string>; knownRuns: Set<string>; olderThanMs: number };

/** 2. customers carrying a marker of this suite: runs recorded here (finished) at once, others when old enough. */
async function sweepEarlierRuns(api: CustomerApi, cfg: Config, runs: Spare, say: Say): Promise<Sweep> {
  const { active, knownRuns, olderThanMs } = runs;
  const now = Date.now();
  const young = new Set<unknown>();
  const swept = await sweepMarker(api, cfg, MARKER_PREFIX, (cust, marker) => {
    const runId = marker.slice(MARKER_PREFIX.length);
    if (active.has(runId)) return true;
    if (knownRuns.has(runId)) return false;
    const age = ageMs(cust, now);
    const keep = olderThanMs > 0 && (age === undefined || age < olderThanMs);
    if (keep) young.add(cust.id);
    return keep;
  });
  for (const id of swept.deleted) say(`deleted ${id} (found by marker)`);
  if (swept.unavailable.length) {
    const search = `the search by marker (${api.markerSearch(MARKER_PREFIX)})`;
    const why = swept.unavailable.join('; ');
    say(`${search} could not be used: ${why}; only ids recorded in the ledger were cleaned up`);
  }
  if (young.size) {
    const why = `created less than ${olderThanMs / 60_000} min ago (a run in progress elsewhere?); --all includes them`;
    say(`spared ${young.size} marked customer(s) of runs not recorded here, ${why}`);
  }
  return swept;
}
