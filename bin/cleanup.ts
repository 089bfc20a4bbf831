// npm run cleanup: deletes what earlier runs left behind (the machinery is helpers/run/leftovers.ts).
import { ConfigError, loadConfig, wantsEmbedded, type Config, type Env } from '../helpers/config/config.ts';
import { forgetEmbeddedRuns, readLedgers, removeLeftovers } from '../helpers/run/leftovers.ts';
import { reportsDir, withEnvFile } from '../helpers/config/env-file.ts';
import { isEntry } from '../helpers/run/entry.ts';
import { readArgs } from '../helpers/run/cli-args.ts';
import { EnvironmentError, preflight } from '../helpers/run/preflight.ts';
import { redactorFor } from '../helpers/run/run-env.ts';
import { inert } from '../helpers/client/text.ts';

const CLEANUP_USAGE = `usage: npm run cleanup [-- options]
  Deletes customers that earlier runs created and left behind (a killed run, a target that failed to
  delete): every id still listed in reports/.ledger/, then every customer whose marker field
  (CUSTOMER_API_MARKER_FIELD, default company_name) starts with "conformance-<run id>". Nothing else.
  --older-than MIN  spare marked customers of runs not recorded here that are younger than MIN minutes
                    (they may belong to a run in progress on another machine; default: the run timeout,
                    CUSTOMER_API_RUN_TIMEOUT_MS, in minutes)
  --all             the same as --older-than 0
  --help            this text
  --version         the suite's version
configuration: the same variables as npm run conformance (.env, CONFORMANCE_ENV_FILE, CONFORMANCE_REPORTS_DIR)`;

interface CleanupArgs {
  olderThanMin?: number;
  /** --help or --version: what to print */
  print?: string;
}

const COMMAND = {
  name: 'cleanup',
  usage: CLEANUP_USAGE,
  options: { 'older-than': { type: 'string' }, all: { type: 'boolean' } },
} as const;

function parseCleanupArgs(argv: readonly string[]): CleanupArgs {
  const read = readArgs(COMMAND, argv);
  if ('print' in read) return { print: read.print };
  const { all, 'older-than': older } = read.values;
  if (all) return { olderThanMin: 0 };
  if (older === undefined) return {};
  if (!/^\d+$/.test(older)) throw new ConfigError('--older-than needs a whole number of minutes, e.g. --older-than 60');
  return { olderThanMin: Number(older) };
}

/**
 * `npm run cleanup`. Exit 0: nothing left that it could identify; 2: configuration or environment error,
 * or something could not be deleted.
 */
export async function cleanupMain(
  argv: readonly string[],
  baseEnv: Env,
  out = process.stdout,
  err = process.stderr,
): Promise<number> {
  const say = (s: string) => out.write(s + '\n');
  // each line inert: what a target sent (an id, a Location) can add no line and no escape sequence
  const fail = (s: string) =>
    err.write(
      s
        .split('\n')
        .map((l) => `cleanup: ${inert(l)}\n`)
        .join(''),
    );
  let cfg: Config | undefined;
  try {
    const args = parseCleanupArgs(argv);
    if (args.print !== undefined) {
      say(args.print);
      return 0;
    }
    const env = withEnvFile(baseEnv);
    const ledgers = readLedgers(reportsDir(env));
    if (wantsEmbedded(env)) {
      forgetEmbeddedRuns(ledgers, say);
      return 0;
    }
    cfg = loadConfig(env);
    await preflight(cfg);
    const olderThanMs = (args.olderThanMin ?? Math.ceil(cfg.runTimeoutMs / 60_000)) * 60_000;
    const other = cfg.other ? `, and ${cfg.other.entityId} for customers a defective target moved there` : '';
    say(`cleanup of ${cfg.baseUrl + cfg.resourcePath} (entity ${cfg.main.entityId}${other})`);
    const total = await removeLeftovers(cfg, ledgers, olderThanMs, say);
    const failed = [...new Set(total.failed)].filter((id) => !total.deleted.includes(id));
    const gone = total.gone ? `; ${total.gone} were already gone` : '';
    const left = failed.length ? `; ${failed.length} could not be deleted` : '';
    say(`removed ${total.deleted.length} customer(s)${gone}${left}`);
    if (failed.length) {
      const ids = failed.join(', ');
      fail(`could not delete ${failed.length} customer(s): ${ids}; they stay in the ledger, try again later`);
      return 2;
    }
    return 0;
  } catch (e) {
    const message = (e as Error)?.message ?? String(e);
    if (e instanceof ConfigError || e instanceof EnvironmentError) fail(e.message);
    else fail(`internal error: ${cfg ? redactorFor(cfg).text(message) : message}`);
    return 2;
  }
}

if (isEntry(import.meta.url)) process.exitCode = await cleanupMain(process.argv.slice(2), process.env);
