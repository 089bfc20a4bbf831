// Reused keep-alive connections or a new one for each request (CUSTOMER_API_CONNECTIONS=auto): whichever the
// target answers sooner. A server that writes an answer's head and body separately, without TCP_NODELAY
// (Python's http.server, for one), holds the body back until the client acknowledges the head, and the
// client's kernel delays that acknowledgement by some 40 ms on a reused connection: every request then takes
// 40 ms instead of 1 or 2. Closing the connection after each answer flushes it at once. Speed only: HTTP
// allows either, and no statement depends on it (the checks that must open new connections open them).
import { randomUUID } from 'node:crypto';
import { CustomerApi } from '../client/api.ts';
import { HttpClient } from '../client/http.ts';
import type { Config } from '../config/config.ts';
import { Ledger } from './ledger.ts';
import { redactorFor } from './run-env.ts';

/** Below this, a reused connection answers as quickly as any: nothing to gain from new ones. */
const QUICK_MS = 20;
/** Requests timed each way, after one that opens the reused connection. */
const SAMPLES = 3;

export interface ConnectionChoice {
  connections: 'reuse' | 'new';
  /** when both ways were timed: the median on a reused connection, the quickest on a new one */
  reusedMs?: number;
  newMs?: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The time of `SAMPLES` reads of unknown customers through `http`, one after another. */
async function timed(cfg: Config, http: HttpClient, first = false): Promise<number[]> {
  const api = new CustomerApi(http, cfg, redactorFor(cfg), new Ledger());
  const ms: number[] = [];
  if (first) await api.get(randomUUID());
  for (let i = 0; i < SAMPLES; i++) ms.push((await api.get(randomUUID())).exchange.durationMs);
  return ms;
}

/**
 * The way the checks connect: as configured, or under `auto` new connections where a reused one answers in
 * `QUICK_MS` or more (the median) and at least twice as slowly (plus 10 ms) as a new one (the quickest). Any
 * failure leaves them reused: the preflight has judged the target already.
 */
export async function chooseConnections(cfg: Config): Promise<ConnectionChoice> {
  if (cfg.connections !== 'auto') return { connections: cfg.connections };
  const reuse = new HttpClient({ timeoutMs: cfg.timeoutMs, retries: 1, connections: 1 });
  const fresh = new HttpClient({ timeoutMs: cfg.timeoutMs, retries: 1, connections: 1, newConnections: true });
  try {
    const reusedMs = median(await timed(cfg, reuse, true));
    if (reusedMs < QUICK_MS) return { connections: 'reuse' };
    // the quickest: a new connection that could answer at once, whatever else the machine was doing
    const newMs = Math.min(...(await timed(cfg, fresh)));
    return { connections: reusedMs >= 2 * newMs + 10 ? 'new' : 'reuse', reusedMs, newMs };
  } catch {
    return { connections: 'reuse' };
  } finally {
    await Promise.all([reuse.destroy(), fresh.destroy()]);
  }
}

/** How the checks connect, said when not the default way (reused connections): `connections: <this>`. */
export function connectionNote(c: ConnectionChoice): string | undefined {
  if (c.connections === 'reuse') return undefined;
  const why =
    c.reusedMs === undefined
      ? 'CUSTOMER_API_CONNECTIONS=new'
      : `on a reused one the target answered in ${Math.round(c.reusedMs)} ms, on a new one in ` +
        `${Math.round(c.newMs!)} ms; CUSTOMER_API_CONNECTIONS=reuse keeps them`;
  return `a new one for each request (${why})`;
}
