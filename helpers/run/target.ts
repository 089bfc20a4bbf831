// Resolves what the run tests: the embedded reference target (started in-process on a free loopback port)
// or the configured deployment; and what `npm run doctor` adds to the preflight (helpers/preflight.ts).
import { startTarget, type RunningTarget } from '../../fixtures/target/server.ts';
import { CustomerApi } from '../client/api.ts';
import { ConfigError, loadConfig, wantsEmbedded, type Config, type Env } from './config.ts';
import { HttpClient } from '../client/http.ts';
import { Ledger } from './ledger.ts';
import { embeddedConfig, redactorFor } from './run-env.ts';
import { isCi } from './env-file.ts';

export interface ResolvedTarget {
  cfg: Config;
  embedded?: RunningTarget;
}

export async function resolveTarget(env: Env, opts: { latencyMs?: number } = {}): Promise<ResolvedTarget> {
  if (!wantsEmbedded(env)) return { cfg: loadConfig(env) };
  if (isCi(env) && env.CUSTOMER_API_TARGET?.trim().toLowerCase() !== 'embedded')
    throw new ConfigError('CUSTOMER_API_BASE_URL is not set and this is a CI system: a release gate must not pass by testing the embedded reference target; set CUSTOMER_API_BASE_URL (and keys) from the CI secret store, or CUSTOMER_API_TARGET=embedded to test the embedded target on purpose');
  // validate everything else first, so a bad variable is reported before anything starts
  loadConfig(env, { baseUrl: 'http://127.0.0.1', main: { userId: 'u', key: 'k', entityId: 'a' }, other: { userId: 'v', key: 'l', entityId: 'b' } });
  const pick = <T extends string>(v: string | undefined, all: readonly T[]) => all.find((x) => x.toLowerCase() === v?.trim().toLowerCase());
  const embedded = await startTarget({
    updateMethod: pick(env.CUSTOMER_API_UPDATE_METHOD, ['POST', 'PUT', 'PATCH'] as const),
    updateSemantics: pick(env.CUSTOMER_API_UPDATE_SEMANTICS, ['replace', 'merge'] as const),
    createStatus: env.CUSTOMER_API_CREATE_STATUS?.trim() === '201' ? 201 : 200,
    malformedIdStatus: env.CUSTOMER_API_MALFORMED_ID_STATUS?.trim() === '404' ? 404 : 400,
    otherEntityStatus: env.CUSTOMER_API_OTHER_ENTITY_STATUS?.trim() === '404' ? 404 : 403,
    resourcePath: env.CUSTOMER_API_RESOURCE_PATH?.trim() || undefined,
    latencyMs: opts.latencyMs,
  });
  return { cfg: embeddedConfig(embedded.url, env), embedded };
}

/**
 * `--check-config` / `npm run doctor`, after the preflight (which tried the other entity's credentials):
 * whether the list endpoint can find marked customers (what the end-of-run sweep and npm run cleanup rely
 * on for creates whose answer was lost). Only GETs.
 */
export async function doctor(cfg: Config): Promise<{ lines: string[]; problems: string[] }> {
  const lines: string[] = [];
  const problems: string[] = [];
  const http = new HttpClient({ timeoutMs: cfg.timeoutMs, retries: 1, connections: 2 });
  const api = new CustomerApi(http, cfg, redactorFor(cfg), new Ledger());
  try {
    lines.push(cfg.other ? `other-entity credentials: accepted (entity ${cfg.other.entityId})` : 'other-entity credentials: not configured (the 403 checks and one list check will be not verified)');
    const search = api.markerSearch('conformance-');
    const listing = await api.listAll(search, 'main', 1).catch((e: unknown) => ({ unavailable: (e as Error).message }));
    if ('items' in listing) {
      const marked = listing.items.length;
      lines.push(`list endpoint: usable (${search})${marked ? `; ${marked}${marked >= 100 ? '+' : ''} customer(s) of earlier runs are still there: npm run cleanup removes them` : ''}`);
    } else {
      lines.push(`list endpoint: not usable (${listing.unavailable}); a customer whose create answer is lost cannot be found by marker (answered creates are still deleted through the ledger)`);
    }
  } finally {
    await http.destroy();
  }
  return { lines, problems };
}
