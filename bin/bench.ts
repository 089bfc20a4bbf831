// npm run bench: the suite engine's speed against the reference target (the machinery is helpers/bench/).
import { mkdirSync } from 'node:fs';
import { BENCH_REPORTS, benchMatrix, benchSoak, rewriteBenchReadme } from '../helpers/bench/bench.ts';
import type { BenchOptions } from '../helpers/bench/bench-report.ts';
import { isEntry } from '../helpers/run/entry.ts';
import { readArgs } from '../helpers/run/cli-args.ts';

export interface BenchArgs extends BenchOptions {
  readme: boolean;
  /** with --readme: rewrite README from the last reports/bench*.json without running anything */
  noRun: boolean;
  help: boolean;
  /** --help or --version: what to print */
  print?: string;
}

const BENCH_USAGE = `usage: npm run bench [-- options]
  --latency LIST       added latency per request, ms (default 0,5,50)
  --workflows LIST     workflow counts for the scaling rows, run at concurrency = count (default 1,8,32)
  --concurrency LIST   concurrency of the full-suite rows (default CUSTOMER_API_CONCURRENCY or 8)
  --no-replay          skip the bare-undici replay of each row
  --no-e2e             skip the end-to-end npm run conformance figure
  --soak N             instead: a soak of N workflows (memory after GC, residue); at the first latency
                       and concurrency; written to reports/bench-soak.json
  --readme             then rewrite the Performance section of README.md (between its bench markers)
  --no-run             with --readme: only rewrite it, from the last reports/bench.json and bench-soak.json
  --seed N             data seed (default 20261125)
  --version            the suite's version
  --help               this text
results: a table on stdout and reports/bench.json`;

class UsageError extends Error {
  override name = 'UsageError';
}

function list(flag: string, v: string | undefined, min: number, max: number): number[] {
  const xs = (v ?? '').split(',').map((s) => s.trim());
  if (!v || xs.some((x) => !/^\d+$/.test(x) || Number(x) < min || Number(x) > max)) {
    const got = JSON.stringify(v ?? '');
    throw new UsageError(`${flag} needs comma-separated whole numbers from ${min} to ${max} (got ${got})`);
  }
  return xs.map(Number);
}

function defaults(env: Record<string, string | undefined>): BenchArgs {
  const c = Number(env.CUSTOMER_API_CONCURRENCY);
  const concurrency = [Number.isInteger(c) && c >= 1 && c <= 256 ? c : 8];
  const run = { latencies: [0, 5, 50], workflows: [1, 8, 32], concurrency, replay: true, e2e: true };
  return { ...run, readme: false, noRun: false, seed: 20261125, help: false };
}

const COMMAND = {
  name: 'bench',
  usage: BENCH_USAGE,
  options: {
    latency: { type: 'string' },
    workflows: { type: 'string' },
    concurrency: { type: 'string' },
    soak: { type: 'string' },
    seed: { type: 'string' },
    'no-replay': { type: 'boolean' },
    'no-e2e': { type: 'boolean' },
    readme: { type: 'boolean' },
    'no-run': { type: 'boolean' },
  },
} as const;

export function parseBenchArgs(argv: readonly string[], env: Record<string, string | undefined> = {}): BenchArgs {
  const a = defaults(env);
  const read = readArgs(COMMAND, argv);
  if ('print' in read) return { ...a, help: true, print: read.print };
  const v = read.values;
  if (v.latency !== undefined) a.latencies = list('--latency', v.latency, 0, 10_000);
  if (v.workflows !== undefined) a.workflows = list('--workflows', v.workflows, 1, 10_000);
  if (v.concurrency !== undefined) a.concurrency = list('--concurrency', v.concurrency, 1, 256);
  if (v.soak !== undefined) a.soak = list('--soak', v.soak, 1, 1_000_000)[0];
  if (v.seed !== undefined) a.seed = list('--seed', v.seed, 0, 2 ** 31 - 1)[0]!;
  if (v['no-replay']) a.replay = false;
  if (v['no-e2e']) a.e2e = false;
  if (v.readme) a.readme = true;
  if (v['no-run']) a.noRun = true;
  if (a.noRun && !a.readme) throw new UsageError('--no-run goes with --readme');
  return a;
}

/** `npm run bench`. Exit 0: every check passed and nothing was left (a soak: memory flat too); 1: not so; 2: usage. */
export async function benchMain(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  out = process.stdout,
  err = process.stderr,
): Promise<number> {
  const say = (s: string) => out.write(s + '\n');
  let args: BenchArgs;
  try {
    args = parseBenchArgs(argv, env);
  } catch (e) {
    err.write(`bench: ${(e as Error).message}\n`);
    return 2;
  }
  if (args.print !== undefined) {
    say(args.print);
    return 0;
  }
  mkdirSync(BENCH_REPORTS, { recursive: true });
  // with --no-run nothing is measured: the README section comes from the last results
  const ok = args.noRun ? true : args.soak ? await benchSoak(args, say) : await benchMatrix(args, say);
  if (args.readme) rewriteBenchReadme(say);
  return ok ? 0 : 1;
}

if (isEntry(import.meta.url)) process.exitCode = await benchMain(process.argv.slice(2), process.env);
