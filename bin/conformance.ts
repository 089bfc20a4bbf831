// npm run conformance: its options and its main; the run itself is helpers/run/run.ts.
import { ConfigError } from '../helpers/config/config-error.ts';
import { isEntry } from '../helpers/run/entry.ts';
import { readArgs } from '../helpers/run/cli-args.ts';
import { inert } from '../helpers/client/text.ts';
import type { Env } from '../helpers/config/config.ts';
import type { Io, RunRequest } from '../helpers/run/run.ts';
import type { SuitePort } from '../helpers/run/suite-port.ts';

export interface Args extends RunRequest {
  /** --help or --version: the text to print instead of running */
  print?: string;
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

const COMMAND = {
  name: 'conformance',
  usage: USAGE,
  options: {
    only: { type: 'string' },
    'read-only': { type: 'boolean' },
    repeat: { type: 'string' },
    'check-config': { type: 'boolean' },
    doctor: { type: 'boolean' },
    baseline: { type: 'string' },
    'fail-on-incomplete': { type: 'boolean' },
    shard: { type: 'string' },
  },
} as const;

/** `--shard I/N`: 1 ≤ I ≤ N ≤ 64. */
function shardOf(v: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(v);
  const [index, count] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  if (!m || index < 1 || count > 64 || index > count)
    throw new ConfigError(`--shard needs I/N with 1 ≤ I ≤ N ≤ 64, e.g. --shard 1/3 (got ${JSON.stringify(v)})`);
  return { index, count };
}

function repeatOf(v: string): number {
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 100_000)
    throw new ConfigError('--repeat needs a whole number from 1 to 100000, e.g. --repeat 500');
  return Number(v);
}

export function parseArgs(argv: readonly string[]): Args {
  // a bare --repeat or --only is node:util's "needs a value": said in this command's words
  if (argv.at(-1) === '--repeat') repeatOf('');
  if (argv.at(-1) === '--only') throw new ConfigError('--only needs a comma-separated list, e.g. --only get,update');
  const read = readArgs(COMMAND, argv);
  if ('print' in read) return { selection: {}, checkConfig: false, print: read.print };
  const v = read.values;
  const only = v.only
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (v.only !== undefined && !only?.length)
    throw new ConfigError('--only needs a comma-separated list, e.g. --only get,update');
  return {
    selection: {
      ...(only ? { only, onlyText: v.only } : {}),
      ...(v['read-only'] ? { readOnly: true } : {}),
      ...(v.repeat !== undefined ? { repeat: repeatOf(v.repeat) } : {}),
    },
    checkConfig: !!(v['check-config'] || v.doctor),
    ...(v.baseline !== undefined ? { baseline: v.baseline } : {}),
    ...(v['fail-on-incomplete'] ? { failOnIncomplete: true } : {}),
    ...(v.shard !== undefined ? { shard: shardOf(v.shard) } : {}),
  };
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
  if (args.print !== undefined) {
    say(args.print);
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
