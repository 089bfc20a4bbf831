// Soak: many workflows through the in-process runner, the V8 heap sampled after a full GC as they finish,
// to show that memory stays flat (exchanges are kept per check, never per run).
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { RunEnv } from '../run/run-env.ts';
import type { SuitePort } from '../run/suite-port.ts';

/** A full garbage collection, from --expose-gc or, failing that, switched on at run time. */
export function gcFunction(): (() => void) | undefined {
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === 'function') return g;
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}

export interface SoakSample {
  /** workflows finished when the sample was taken */
  done: number;
  heapMb: number;
  rssMb: number;
}

export interface Flatness {
  /** median heap of the first and of the last quarter of the samples, MB */
  firstMb: number;
  lastMb: number;
  ratio: number;
  /** heap growth from the first quarter to the last, per workflow in between */
  bytesPerWorkflow: number;
  flat: boolean;
}

export interface SoakResult {
  workflows: number;
  concurrency: number;
  wallMs: number;
  requests: number;
  notPassed: number;
  /** true when the samples were taken after a full GC */
  gc: boolean;
  samples: SoakSample[];
  flatness: Flatness;
}

const MB = 1024 * 1024;
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? 0 : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * Over the samples after the first fifth (warm-up: compiled code, connection pool, caches), flat means: the
 * last quarter's median heap is at most `maxRatio` × the first quarter's, and grows by less than
 * `maxBytesPerWorkflow` per workflow (a run that kept every exchange would grow by tens of KB per workflow).
 */
export function flatness(
  samples: readonly SoakSample[],
  opts: { maxRatio?: number; maxBytesPerWorkflow?: number } = {},
): Flatness {
  const steady = samples.slice(Math.floor(samples.length / 5));
  const q = Math.max(1, Math.floor(steady.length / 4));
  const first = steady.slice(0, q);
  const last = steady.slice(-q);
  const firstMb = median(first.map((s) => s.heapMb));
  const lastMb = median(last.map((s) => s.heapMb));
  const span = median(last.map((s) => s.done)) - median(first.map((s) => s.done));
  const ratio = firstMb > 0 ? lastMb / firstMb : 1;
  const bytesPerWorkflow = span > 0 ? ((lastMb - firstMb) * MB) / span : 0;
  return {
    firstMb,
    lastMb,
    ratio,
    bytesPerWorkflow,
    flat: ratio <= (opts.maxRatio ?? 1.5) && bytesPerWorkflow <= (opts.maxBytesPerWorkflow ?? 4096),
  };
}

/** Runs `workflows` workflow checks (each its own data and customers), sampling the heap `samples` times. */
export async function soak(
  suite: SuitePort,
  env: RunEnv,
  workflows: number,
  opts: { concurrency: number; samples?: number },
): Promise<SoakResult> {
  const gc = gcFunction();
  const checks = suite.workflows(workflows);
  const every = Math.max(1, Math.floor(checks.length / (opts.samples ?? 20)));
  const samples: SoakSample[] = [];
  let done = 0;
  let notPassed = 0;
  const before = env.http.requests;
  const t0 = performance.now();
  await suite.run(checks, env, {
    concurrency: opts.concurrency,
    keepResults: false,
    onResult: (r) => {
      done++;
      if (r.status !== 'passed') notPassed++;
      if (done % every === 0) {
        gc?.();
        samples.push({ done, heapMb: getHeapStatistics().used_heap_size / MB, rssMb: process.memoryUsage.rss() / MB });
      }
    },
  });
  const wallMs = performance.now() - t0;
  return {
    workflows: checks.length,
    concurrency: opts.concurrency,
    wallMs,
    requests: env.http.requests - before,
    notPassed,
    gc: !!gc,
    samples,
    flatness: flatness(samples),
  };
}
