// The end of every run, whatever happened to it: deleting what the run created, and nothing else, by id (the
// ledger written the moment a create is answered) and by the run marker (what a create whose answer was lost
// left behind). Deleting by id is delete-ids.ts, by marker sweep-marker.ts; `npm run cleanup` for leftovers of
// earlier runs is leftovers.ts.
import { sleep } from '../client/time.ts';
import type { Config } from '../config/config.ts';
import { cleanupClient, deleteIds, emptyRemoval, type Removal } from './delete-ids.ts';
import { Ledger, pendingInFile, removeLedger } from './ledger.ts';
import { sweepMarker } from './sweep-marker.ts';

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
