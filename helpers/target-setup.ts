// Resolves what the run tests: the embedded reference target (started in-process on a free loopback port)
// or the configured deployment; then a preflight request that turns an unreachable target or rejected
// credentials into one clear line instead of hundreds of failed checks.
import { randomUUID } from 'node:crypto';
import { startTarget, type RunningTarget } from '../fixtures/target/server.ts';
import { CustomerApi } from './api.ts';
import { ConfigError, loadConfig, wantsEmbedded, type Config, type Env } from './config.ts';
import { HttpClient, TransportError } from './http.ts';
import { Ledger } from './ledger.ts';
import { embeddedConfig, redactorFor } from './run-env.ts';

/** The target or the environment is not usable: exit code 2. */
export class EnvironmentError extends Error {
  override name = 'EnvironmentError';
}

export interface ResolvedTarget {
  cfg: Config;
  embedded?: RunningTarget;
}

export async function resolveTarget(env: Env, opts: { latencyMs?: number } = {}): Promise<ResolvedTarget> {
  if (!wantsEmbedded(env)) return { cfg: loadConfig(env) };
  if (env.CI === 'true' && env.CUSTOMER_API_TARGET?.trim().toLowerCase() !== 'embedded')
    throw new ConfigError('CUSTOMER_API_BASE_URL is not set and CI=true: a release gate must not pass by testing the embedded reference target; set CUSTOMER_API_BASE_URL (and keys) from the CI secret store, or CUSTOMER_API_TARGET=embedded to test the embedded target on purpose');
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

export interface Preflight {
  deploymentVersion?: string;
}

/** One harmless request (GET of a random UUID): is the target there, and does it accept our credentials? */
export async function preflight(cfg: Config): Promise<Preflight> {
  const http = new HttpClient({ timeoutMs: cfg.timeoutMs, retries: 1, connections: 1 });
  const api = new CustomerApi(http, cfg, redactorFor(cfg), new Ledger());
  try {
    const res = await api.get(randomUUID());
    if (res.status === 401)
      throw new EnvironmentError(`the target at ${cfg.baseUrl} refused the configured credentials (status 401); check CUSTOMER_API_USER_ID, CUSTOMER_API_KEY and CUSTOMER_API_AUTH (API keys expire after a year)`);
    // a gateway that is down or shedding load: nothing the suite could judge
    if ([429, 502, 503, 504].includes(res.status))
      throw new EnvironmentError(`the target at ${cfg.baseUrl} is not available (status ${res.status}${res.headers['retry-after'] ? `, Retry-After ${res.headers['retry-after']}` : ''} after ${res.exchange.attempts} attempt(s)); try again later`);
    return { deploymentVersion: cfg.versionHeader ? res.headers[cfg.versionHeader.toLowerCase()] : undefined };
  } catch (err) {
    if (err instanceof TransportError) {
      const hint = /^no complete response/.test(err.message) ? 'check that the target is up, or raise CUSTOMER_API_TIMEOUT_MS' : 'check CUSTOMER_API_BASE_URL and the network';
      throw new EnvironmentError(`cannot use the target: ${err.message}; ${hint}`);
    }
    throw err;
  } finally {
    await http.destroy();
  }
}

/**
 * `--check-config` / `npm run doctor`, after the preflight: the other entity's credentials, and whether the
 * list endpoint can find marked customers (what the end-of-run sweep and npm run cleanup rely on for creates
 * whose answer was lost). Only GETs: nothing changes.
 */
export async function doctor(cfg: Config): Promise<{ lines: string[]; problems: string[] }> {
  const lines: string[] = [];
  const problems: string[] = [];
  const http = new HttpClient({ timeoutMs: cfg.timeoutMs, retries: 1, connections: 2 });
  const api = new CustomerApi(http, cfg, redactorFor(cfg), new Ledger());
  try {
    if (!cfg.other) lines.push('other-entity credentials: not configured (the 403 checks and one list check will be not verified)');
    else {
      const res = await api.get(randomUUID(), 'other').catch((e: unknown) => e as Error);
      if (res instanceof Error) problems.push(`the other entity's credentials could not be tried: ${res.message}`);
      else if (res.status === 401) problems.push(`the target refused the other entity's credentials (status 401); check CUSTOMER_API_OTHER_USER_ID and CUSTOMER_API_OTHER_KEY`);
      else lines.push(`other-entity credentials: accepted (entity ${cfg.other.entityId})`);
    }
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
