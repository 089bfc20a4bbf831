// Where a run's time went: when each phase ended, measured from the process's start, written to the reports
// folder as timing.json for `npm run bench` and for whoever asks why a run was slow. It is not evidence (the
// certificate does not digest it): the same target gives different timings on every run.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The phases in order: each runs from the end of the one before it (the first from the process's start). */
export const PHASES = ['start', 'checks', 'cleanup', 'summaries', 'report'] as const;
export type Phase = (typeof PHASES)[number];

export interface Timing {
  /** milliseconds each phase took; a phase the run never reached is absent */
  phases: Partial<Record<Phase, number>>;
  /** from the process's start to the end of the last phase reached */
  totalMs: number;
  /** how the run process loaded the suite (bin/launch.mjs), when the launcher started it */
  runLoad?: string;
  /** how the workers loaded the suite (helpers/run/suite-bundle.ts), once they did */
  suiteLoad?: string;
  /** the threads of libuv's pool the run process started with, where set (helpers/config/node-flags.mjs) */
  threadPool?: string;
}

export class PhaseClock {
  private readonly ends = new Map<Phase, number>();
  runLoad = process.env.CONFORMANCE_RUN_LOAD;
  suiteLoad?: string;
  readonly threadPool = process.env.UV_THREADPOOL_SIZE;

  /** `phase` ended now; a later call for the same phase changes nothing. */
  end(phase: Phase): void {
    if (!this.ends.has(phase)) this.ends.set(phase, performance.now());
  }

  timing(): Timing {
    const phases: Timing['phases'] = {};
    let from = 0;
    for (const p of PHASES) {
      const at = this.ends.get(p);
      if (at === undefined) continue;
      phases[p] = Math.round(at - from);
      from = at;
    }
    const { runLoad, suiteLoad, threadPool } = this;
    const loads = { ...(runLoad && { runLoad }), ...(suiteLoad && { suiteLoad }), ...(threadPool && { threadPool }) };
    return { phases, totalMs: Math.round(from), ...loads };
  }

  /** `reports`/timing.json */
  write(reports: string): void {
    writeFileSync(join(reports, 'timing.json'), JSON.stringify(this.timing(), null, 2) + '\n');
  }
}
