// Resolves what the run tests: the embedded reference target (started in-process on a free loopback port)
// or the configured deployment; and what `npm run doctor` adds to the preflight (helpers/preflight.ts).
import { CHOICES, type Choices } from '../../fixtures/contract/choices.ts';
import { startTarget, type RunningTarget, type TargetOptions } from '../../fixtures/target/server.ts';
import { CustomerApi } from '../client/api.ts';
import { ConfigError, loadConfig, wantsEmbedded, type Config, type Env } from '../config/config.ts';
import { HttpClient } from '../client/http.ts';
import { Ledger } from './ledger.ts';
import { embeddedConfig, redactorFor } from './run-env.ts';
import { isCi } from '../config/env-file.ts';

export interface ResolvedTarget {
  cfg: Config;
  embedded?: RunningTarget;
}

const CI_REFUSAL =
  'CUSTOMER_API_BASE_URL is not set and this is a CI system: a release gate must not pass by testing the ' +
  'embedded reference target; set CUSTOMER_API_BASE_URL (and keys) from the CI secret store, ' +
  'or CUSTOMER_API_TARGET=embedded to test the embedded target on purpose';

/** The embedded target answers as the configuration says the deployment does. */
const deploymentChoices = (cfg: Config): TargetOptions => ({
  ...(Object.fromEntries(CHOICES.map((r) => [r.key, cfg[r.key]])) as Choices),
  resourcePath: cfg.resourcePath,
});

/** The configuration, parsed once, and the embedded target when it is the one tested (started from it). */
export async function resolveTarget(env: Env, opts: { latencyMs?: number } = {}): Promise<ResolvedTarget> {
  if (!wantsEmbedded(env)) return { cfg: loadConfig(env) };
  if (isCi(env) && env.CUSTOMER_API_TARGET?.trim().toLowerCase() !== 'embedded') throw new ConfigError(CI_REFUSAL);
  // parsed before anything starts, so a bad variable is reported first; the address is the target's, once
  // it listens
  const cfg = embeddedConfig('', env);
  const embedded = await startTarget({ ...deploymentChoices(cfg), latencyMs: opts.latencyMs });
  return { cfg: { ...cfg, baseUrl: embedded.url }, embedded };
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
    lines.push(
      cfg.other
        ? `other-entity credentials: accepted (entity ${cfg.other.entityId})`
        : 'other-entity credentials: not configured (the 403 checks and one list check will be not verified)',
    );
    const search = api.markerSearch('conformance-');
    const listing = await api.listAll(search, 'main', 1).catch((e: unknown) => ({ unavailable: (e as Error).message }));
    lines.push('items' in listing ? listUsable(search, listing.items.length) : listUnusable(listing.unavailable));
  } finally {
    await http.destroy();
  }
  return { lines, problems };
}

function listUsable(search: string, marked: number): string {
  const left = marked
    ? `; ${marked}${marked >= 100 ? '+' : ''} customer(s) of earlier runs are still there: npm run cleanup removes them`
    : '';
  return `list endpoint: usable (${search})${left}`;
}

function listUnusable(why: string): string {
  return (
    `list endpoint: not usable (${why}); a customer whose create answer is lost cannot be found by marker ` +
    '(answered creates are still deleted through the ledger)'
  );
}
