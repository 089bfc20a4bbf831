// The baseline the benchmark compares the suite with: the exact requests one suite run sent (method, URL,
// headers, body), replayed with bare undici on one keep-alive Agent at the same concurrency. Each check's
// requests are replayed in order, as that check sent them, while `concurrency` checks are in flight, so
// the replay has the suite's dependency structure and none of its work (data, assertions, reports).
// Ids the suite created are swapped for the ids the replay's own creates answer, so the replay exercises
// the same paths (same statuses) and deletes what it creates.
import { pool } from '../run/pool.ts';
import { Agent } from '../client/undici-core.mjs';
import type { Exchange } from '../client/http.ts';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** a body that is not valid UTF-8, as sent */
  bodyBase64?: string;
  /** the status the suite got */
  status?: number;
  /** the id a create answered with, when it answered one */
  created?: string;
}

/** One check's requests, in the order it sent them. */
export type Chain = RecordedRequest[];

/** What the suite's HTTP client put on the wire for an exchange (it adds content-type to a body). */
export function recordExchange(ex: Exchange): RecordedRequest {
  const q = ex.request;
  const headers = q.body !== undefined ? { 'content-type': 'application/json', ...q.headers } : { ...q.headers };
  const bytes = (q as { bodyBytes?: Uint8Array }).bodyBytes;
  return {
    method: q.method,
    url: q.url,
    headers,
    ...(bytes ? { bodyBase64: Buffer.from(bytes).toString('base64') } : { body: q.body }),
    status: ex.response?.status,
    created: createdId(q.method, ex.response?.status, ex.response?.body),
  };
}

function createdId(method: string, status: number | undefined, body: string | undefined): string | undefined {
  if (method.toUpperCase() !== 'POST' || status === undefined || status < 200 || status >= 300 || !body)
    return undefined;
  try {
    const id = (JSON.parse(body) as { id?: unknown }).id;
    return typeof id === 'string' && id.length >= 8 ? id : undefined;
  } catch {
    return undefined;
  }
}

/** The same pool size as the suite's HttpClient at this concurrency. */
export const replayAgent = (concurrency: number): Agent =>
  new Agent({ connections: Math.max(concurrency * 2, 8), keepAliveTimeout: 10_000 });

const swap = (s: string, ids: ReadonlyMap<string, string>): string => {
  let out = s;
  for (const [from, to] of ids) out = out.split(from).join(to);
  return out;
};

export interface ReplayResult {
  wallMs: number;
  requests: number;
  /** replies whose status differed from the recorded one */
  statusMismatches: number;
  /** transport failures */
  errors: number;
  /** ids created by the replay (and, when its chain deleted them, deleted again) */
  created: number;
}

/** Replays `chains`, `concurrency` at a time, on `agent` (kept open) or a new keep-alive Agent (closed after). */
export async function replay(
  chains: readonly Chain[],
  opts: { concurrency: number; agent?: Agent; timeoutMs?: number },
): Promise<ReplayResult> {
  const agent = opts.agent ?? replayAgent(opts.concurrency);
  let requests = 0;
  let statusMismatches = 0;
  let errors = 0;
  let created = 0;
  const sendChain = async (chain: Chain) => {
    const ids = new Map<string, string>();
    for (const r of chain) {
      const raw = swap(r.url, ids);
      const origin = new URL(raw).origin;
      const body =
        r.bodyBase64 !== undefined
          ? Buffer.from(r.bodyBase64, 'base64')
          : r.body === undefined
            ? undefined
            : swap(r.body, ids);
      requests++;
      try {
        const res = await agent.request({
          origin,
          // as written, like the suite's client: no dot-segment normalisation
          path: raw.slice(origin.length) || '/',
          method: r.method as 'GET',
          headers: r.headers,
          body,
          signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
        });
        const text = await res.body.text();
        if (r.status !== undefined && res.statusCode !== r.status) statusMismatches++;
        if (r.created) {
          const id = createdId(r.method, res.statusCode, text);
          if (id) {
            ids.set(r.created, id);
            ids.set(r.created.toUpperCase(), id.toUpperCase());
            created++;
          }
        }
      } catch {
        errors++;
      }
    }
  };
  const t0 = performance.now();
  await pool(chains, opts.concurrency, sendChain);
  const wallMs = performance.now() - t0;
  if (!opts.agent) await agent.close();
  return { wallMs, requests, statusMismatches, errors, created };
}
