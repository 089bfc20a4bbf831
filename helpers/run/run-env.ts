// Builds what one run shares: the HTTP client, the secret redactor, the ledger and the run marker.
import { record } from '../client/recorder.ts';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { loadConfig, secretsOf, type Config, type Env } from '../config/config.ts';
import { HttpClient } from '../client/http.ts';
import { EnvironmentMonitor } from './environment.ts';
import { Ledger, LEDGER_DIR } from './ledger.ts';
import { Redactor } from '../client/redact.ts';
import type { HttpClient as Http } from '../client/http.ts';
import { ACCOUNTS } from '../../fixtures/target/accounts.ts';
import { SpareCustomers } from './spare-customers.ts';
import { CustomerApi } from '../client/api.ts';

/** What one run shares between checks. */
export interface RunEnv {
  cfg: Config;
  http: Http;
  redactor: Redactor;
  ledger: Ledger;
  /** stamped into every created customer, e.g. `conformance-1a2b3c4d` */
  marker: string;
  /** answers in a row that only the environment gives: tripped, it stops the run */
  monitor: EnvironmentMonitor;
  /** customers the checks that expect a refusal hand on, one check at a time */
  spares: SpareCustomers;
}

export const MARKER_PREFIX = 'conformance-';

export function newRunId(): string {
  return randomBytes(4).toString('hex');
}

export function redactorFor(cfg: Config): Redactor {
  return new Redactor(secretsOf(cfg), [cfg.main.userId, cfg.other?.userId ?? ''].filter(Boolean));
}

export function createRunEnv(cfg: Config, opts: { runId?: string; ledgerFile?: string | null } = {}): RunEnv {
  const runId = opts.runId ?? newRunId();
  const ledgerFile = opts.ledgerFile === null ? undefined : (opts.ledgerFile ?? join(LEDGER_DIR, `${runId}.jsonl`));
  const connections = Math.max(cfg.concurrency * 2, 8);
  return {
    cfg,
    http: new HttpClient({
      timeoutMs: cfg.timeoutMs,
      retries: cfg.retries,
      connections,
      newConnections: cfg.connections === 'new',
      observe: record,
    }),
    redactor: redactorFor(cfg),
    ledger: new Ledger(ledgerFile),
    marker: MARKER_PREFIX + runId,
    monitor: new EnvironmentMonitor(),
    spares: new SpareCustomers(),
  };
}

/**
 * The configuration for the embedded reference target at `baseUrl`: its own two entities' accounts stand in
 * for the credentials (their API keys, or their tokens under CUSTOMER_API_AUTH=bearer).
 */
export function embeddedConfig(baseUrl: string, env: Env = {}): Config {
  return loadConfig(env, { baseUrl, main: ACCOUNTS.a, other: ACCOUNTS.b });
}

/** Deletes the spare customers `env` holds, once its checks have ended. */
export function drainSpares(env: RunEnv): Promise<void> {
  const api = new CustomerApi(env.http, env.cfg, env.redactor, env.ledger);
  return env.spares.drain((id) => api.delete(id));
}
