// Deletes customers by id with the main credentials: 2xx and 404 both mean gone.
import { CustomerApi } from './api.ts';
import type { Config } from './config.ts';
import { HttpClient } from './http.ts';
import { Ledger } from './ledger.ts';
import { redactorFor } from './run-env.ts';

export async function cleanupIds(cfg: Config, ids: readonly string[], ledger = new Ledger()): Promise<{ deleted: number; gone: number; failed: string[] }> {
  const http = new HttpClient({ timeoutMs: cfg.timeoutMs, retries: cfg.retries, connections: 8 });
  const api = new CustomerApi(http, cfg, redactorFor(cfg), ledger);
  let deleted = 0;
  let gone = 0;
  const failed: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(8, ids.length) }, async () => {
      while (next < ids.length) {
        const id = ids[next++]!;
        try {
          const r = await api.delete(id);
          if (r.status >= 200 && r.status < 300) deleted++;
          else if (r.status === 404) gone++;
          else failed.push(id);
        } catch {
          failed.push(id);
        }
      }
    }),
  );
  await http.destroy();
  return { deleted, gone, failed };
}
