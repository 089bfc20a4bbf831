// One row of the benchmark: the suite engine in a child process against a running target, then (when asked)
// the bare-undici replay of the same requests, and the figures derived from both.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BenchOptions, BenchReport } from './bench-report.ts';
import { runChild, type SuiteChildResult } from './child.ts';
import { idealMs, overheadRatio, perSecond, type SuiteFigures } from './figures.ts';
import type { ReplayResult } from './replay.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** One run of the matrix: the whole suite, or a number of workflows, at a concurrency. */
export type BenchRun = { label: string; kind: 'full' | 'workflows'; workflows?: number; concurrency: number };

type Count = () => Promise<{ live: number }>;

/** The replay of the recorded requests, and what it left on the target (counted from `after`). */
async function measureReplay(
  recordFile: string,
  concurrency: number,
  count: Count,
  after: number,
): Promise<SuiteFigures['replay']> {
  const r = await runChild<ReplayResult>({ mode: 'replay', recordFile, concurrency }, ROOT);
  return {
    wallMs: r.wallMs,
    requests: r.requests,
    statusMismatches: r.statusMismatches + r.errors,
    residue: (await count()).live - after,
  };
}

/** The row's figures: what the suite child measured, and the arithmetic over them. */
function rowOf(
  run: BenchRun,
  latencyMs: number,
  s: SuiteChildResult,
  residue: number,
  replay: SuiteFigures['replay'],
): BenchReport['rows'][number] {
  const row: SuiteFigures = {
    label: run.label,
    latencyMs,
    concurrency: run.concurrency,
    checks: s.checks,
    notPassed: s.notPassed,
    wallMs: s.wallMs,
    requests: s.requests,
    peakRssMb: s.peakRssMb,
    peakHeapMb: s.peakHeapMb,
    residue,
    replay,
  };
  return {
    ...row,
    cpuMs: s.cpuMs,
    warmupMs: s.warmupMs,
    reqPerSec: perSecond(s.requests, s.wallMs),
    idealMs: idealMs(s.requests, latencyMs, run.concurrency),
    overheadRatio: overheadRatio(s.wallMs, s.requests, latencyMs, run.concurrency) ?? null,
  };
}

/** The suite engine and its replay, one row, against a running target. */
export async function measureRow(
  url: string,
  latencyMs: number,
  run: BenchRun,
  args: BenchOptions,
  count: Count,
): Promise<BenchReport['rows'][number]> {
  const dir = mkdtempSync(join(tmpdir(), 'conformance-bench-'));
  const recordFile = args.replay ? join(dir, 'requests.json') : undefined;
  try {
    const before = (await count()).live;
    const s = await runChild<SuiteChildResult>(
      {
        mode: 'suite',
        url,
        run: run.kind,
        workflows: run.workflows,
        concurrency: run.concurrency,
        seed: args.seed,
        recordFile,
      },
      ROOT,
    );
    const after = (await count()).live;
    // what the target still holds of this run, and what the run's own ledger says it left
    const residue = Math.max(after - before, s.pending);
    if (s.notPassed)
      process.stderr.write(
        `bench: ${s.notPassed} check(s) did not pass against the reference target:\n  ${s.problems.join('\n  ')}\n`,
      );
    const replay = recordFile ? await measureReplay(recordFile, run.concurrency, count, after) : undefined;
    return rowOf(run, latencyMs, s, residue, replay);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
