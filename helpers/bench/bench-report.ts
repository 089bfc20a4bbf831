// The shape of reports/bench.json (what `npm run bench` measured, row by row) and the targets judged from its
// rows: the one vocabulary the measuring, the text and the README section share.
import type { Phase } from '../report/phase-clock.ts';
import type { SuiteFigures } from './figures.ts';

/** What to measure (the command's arguments, see bin/bench.ts). */
export interface BenchOptions {
  latencies: number[];
  workflows: number[];
  concurrency: number[];
  replay: boolean;
  e2e: boolean;
  /** run only a soak of this many workflows */
  soak?: number;
  seed: number;
}

/** One `npm run conformance` against the benchmark's target, timed from outside and phase by phase. */
export interface E2eFigure {
  latencyMs: number;
  concurrency: number;
  /** from the launcher's spawn to its exit */
  wallMs: number;
  /** requests the target served during the run (the preflight and cleanup included) */
  requests: number;
  /** customers the run left on the target */
  residue: number;
  /** the run's own timing.json: each phase, and the sum from the run process's start */
  phases: Partial<Record<Phase, number>>;
  processMs?: number;
  /** the bare-undici replay of the full-suite row at the same latency and concurrency, and wall ÷ it */
  replayMs?: number;
  replayRatio?: number;
  exitCode: number | null;
  checks?: number;
  verdict?: string;
}

export interface BenchReport {
  generatedAt: string;
  machine: { node: string; cpus: number; cpu: string; loadavgAtStart: number[] };
  seed: number;
  rows: (SuiteFigures & {
    reqPerSec: number;
    idealMs: number;
    overheadRatio: number | null;
    cpuMs: number;
    warmupMs: number;
  })[];
  e2e?: E2eFigure[];
  targets: {
    fullSuite0msUnder5s?: boolean;
    overheadUnder1_5At50ms?: boolean;
    workflowScaling: { latencyMs: number; walls: { workflows: number; wallMs: number }[] }[];
  };
}

export function benchTargets(rows: BenchReport['rows']): BenchReport['targets'] {
  const full = rows.filter((r) => r.label === 'full suite');
  const at0 = full.filter((r) => r.latencyMs === 0);
  const at50 = full.filter((r) => r.latencyMs === 50);
  const latencies = [...new Set(rows.map((r) => r.latencyMs))];
  return {
    fullSuite0msUnder5s: at0.length ? at0.every((r) => r.wallMs < 5000 && r.notPassed === 0) : undefined,
    overheadUnder1_5At50ms: at50.length ? at50.every((r) => (r.overheadRatio ?? Infinity) < 1.5) : undefined,
    workflowScaling: latencies.map((latencyMs) => ({
      latencyMs,
      walls: rows
        .filter((r) => r.latencyMs === latencyMs && r.label !== 'full suite')
        .map((r) => ({ workflows: r.checks, wallMs: r.wallMs })),
    })),
  };
}
