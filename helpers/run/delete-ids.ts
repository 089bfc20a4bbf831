// Deleting customers by id, the one way the cleanup deletes anything: the outcome of each delete (deleted,
// already gone, failed) and the client the cleanup sends them with.
import { CustomerApi } from '../client/api.ts';
import { HttpClient } from '../client/http.ts';
import type { Config } from '../config/config.ts';
import { Ledger } from './ledger.ts';
import { pool } from './pool.ts';
import { redactorFor } from './run-env.ts';

export interface Removal {
  /** deleted now */
  deleted: string[];
  /** already gone (404) */
  gone: number;
  /** still there, or could not be asked */
  failed: string[];
}

export const emptyRemoval = (): Removal => ({ deleted: [], gone: 0, failed: [] });
export const mergeRemovals = (a: Removal, b: Removal): Removal => ({
  deleted: [...a.deleted, ...b.deleted],
  gone: a.gone + b.gone,
  failed: [...a.failed, ...b.failed],
});

/** A client for cleaning up: retries where safe, and deletions recorded in `ledger` (or another one, with apiFor). */
export function cleanupClient(
  cfg: Config,
  ledger = new Ledger(),
): { api: CustomerApi; apiFor(l: Ledger): CustomerApi; close(): Promise<void> } {
  const http = new HttpClient({
    timeoutMs: cfg.timeoutMs,
    retries: cfg.retries,
    connections: 8,
    newConnections: cfg.connections === 'new',
  });
  const apiFor = (l: Ledger) => new CustomerApi(http, cfg, redactorFor(cfg), l);
  return { api: apiFor(ledger), apiFor, close: () => http.destroy() };
}

export type CleanupClient = ReturnType<typeof cleanupClient>;

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
