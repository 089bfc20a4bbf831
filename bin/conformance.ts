// npm run conformance: its options and its main; the run itself is helpers/run/run.ts.
import { ConfigError } from '../helpers/config/config-error.ts';
import { isEntry } from '../helpers/run/entry.ts';
import { suiteVersion } from '../helpers/run/run-info.ts';
import { inert } from '../helpers/client/text.ts';
import type { Env } from '../helpers/config/config.ts';
import type { Io, RunRequest } from '../helpers/run/run.ts';
import type { SuitePort } from '../helpers/run/suite-port.ts';

export interface Args extends RunRequest {
  help: boolean;
  version?: boolean;
}

/** `--shard I/N`: 1 ≤ I ≤ N ≤ 64. */
function shardOf(v: string | undefined): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(v ?? '');
  const [index, count] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  if (!m || index < 1 || count > 64 || index > count)
    throw new ConfigError(`--shard needs I/N with 1 ≤ I ≤ N ≤ 64, e.g. --shard 1/3 (got ${JSON.stringify(v ?? '')})`);
  return { index, count };
}

export const USAGE = `usage: npm run conformance [-- options]
  --only LIST      run only these features, tags or contract ids (comma-separated),
                   e.g. --only get,update  or  --only smoke  or  --only CUS-TS;
                   or one check, by its title as the reports show it: --only '[CUS-GET-200] GET of …'
  --read-only      run only checks that create nothing
  --repeat N       soak mode: run the workflow checks N times, each with fresh data
  --check-config   validate the configuration and try the target: reads, and one marked customer
                   created and deleted at once (nothing with --read-only)
  --baseline FILE  the conformance.json of an accepted earlier run: statements failing there and still
                   failing are known (reported, not gating); only regressions exit 1
  --fail-on-incomplete
                   an INCOMPLETE verdict exits 1 (a gate that lost a secret must not stay green)
  --shard I/N      run the I-th of N balanced parts of the selected checks (merge them: npm run merge)
  --version        the suite's version
  --help           this text
configuration: environment variables or .env (see .env.example)`;

/** The value of an option: `--flag value` or `--flag=value`. */
function valueOf(argv: readonly string[], i: number, inline: string | undefined): [string | undefined, number] {
  return inline !== undefined ? [inline, i] : [argv[i + 1], i + 1];
}

export function parseArgs(argv: readonly string[]): Args {
  const a: Args = { selection: {}, checkConfig: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i]!;
    const eq = x.indexOf('=');
    const [flag, inline] = eq >= 0 ? [x.slice(0, eq), x.slice(eq + 1)] : [x, undefined];
    if (flag === '--only') {
      const [v, at] = valueOf(argv, i, inline);
      i = at;
      if (!v) throw new ConfigError('--only needs a comma-separated list, e.g. --only get,update');
      a.selection.only = v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      a.selection.onlyText = v;
    } else if (flag === '--read-only') a.selection.readOnly = true;
    else if (flag === '--repeat') {
      const [v, at] = valueOf(argv, i, inline);
      i = at;
      if (!v || !/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 100_000)
        throw new ConfigError('--repeat needs a whole number from 1 to 100000, e.g. --repeat 500');
      a.selection.repeat = Number(v);
    } else if (flag === '--baseline') {
      const [v, at] = valueOf(argv, i, inline);
      i = at;
      if (!v)
        throw new ConfigError(
          '--baseline needs the conformance.json of an accepted run, e.g. --baseline accepted.json',
        );
      a.baseline = v;
    } else if (flag === '--fail-on-incomplete') a.failOnIncomplete = true;
    else if (flag === '--shard') {
      const [v, at] = valueOf(argv, i, inline);
      i = at;
      a.shard = shardOf(v);
    } else if (flag === '--version' || flag === '-v') a.version = true;
    else if (flag === '--check-config' || flag === '--doctor') a.checkConfig = true;
    else if (flag === '--help' || flag === '-h') a.help = true;
    else throw new ConfigError(`unknown option ${x}; see npm run conformance -- --help`);
  }
  return a;
}

/** Set once the run listens for signals itself: the early listeners below then leave them to it. */
let started = false;

export async function main(
  suite: SuitePort,
  argv: readonly string[],
  baseEnv: Env,
  out = process.stdout,
  err = process.stderr,
): Promise<number> {
  const say = (s: string) => void out.write(s + '\n');
  // each line inert: what a target sent (an id, a Location) can add no line and no escape sequence
  const fail = (s: string) =>
    void err.write(
      s
        .split('\n')
        .map((l) => `conformance: ${inert(l)}\n`)
        .join(''),
    );
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    fail((e as Error).message);
    return 2;
  }
  if (args.help || args.version) {
    say(args.help ? USAGE : `customer-api-conformance ${suiteVersion()}`);
    return 0;
  }
  const { runConformance } = await import('../helpers/run/run.ts');
  // from here the run's own listeners answer a signal (they are added before runConformance first waits)
  started = true;
  return runConformance(suite, args, baseEnv, { out, err, say, fail } satisfies Io);
}

if (isEntry(import.meta.url)) {
  // Ctrl-C while the modules load: nothing has started and nothing was created, so the answer is 130 at
  // once. The listener stays (a no-op once the run has its own): removing it opened a moment in which an
  // interrupt ended the process with exit 0.
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => started || process.exit(130));
  const { SUITE } = await import('../suites/suite.ts');
  process.exitCode = await main(SUITE, process.argv.slice(2), process.env);
}
