// npm run cleanup's machinery: what earlier runs left behind, found by the ledger files of a reports folder
// (runs in progress, and runs of the embedded target, left alone) and by the suite's marker.
import { hostname } from 'node:os';
import { basename, resolve } from 'node:path';
import type { CustomerApi } from '../client/api.ts';
import type { Config } from '../config/config.ts';
import {
  cleanupClient,
  deleteIds,
  emptyRemoval,
  mergeRemovals,
  type CleanupClient,
  type Removal,
} from './delete-ids.ts';
import { Ledger, LEDGER_SUBDIR, ledgerFiles, ledgerInUse, pendingInFile, readLedgerMeta } from './ledger.ts';
import { removeLedger, type RunMeta } from './ledger.ts';
import { MARKER_PREFIX } from './run-env.ts';
import { sweepMarker, type Sweep } from './sweep-marker.ts';

type Obj = Record<string, unknown>;

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

type Say = (line: string) => void;

/** Without a base URL: the embedded target lives inside one run's process, so its customers end with it. */
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
    return mergeRemovals(removal, swept);
  } finally {
    await c.close();
  }
}

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
    total = mergeRemovals(total, r);
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
