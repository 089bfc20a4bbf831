// Watches the results as they arrive: shows the progress, and stops the run (it then cleans up and says
// why) instead of judging the product on answers that only the environment gives: no answer, gateways,
// redirects, refused keys, login pages; or checks in a row that broke on them even when tried again (a target
// that stopped answering one operation).
import type { CheckResult } from '../report/result.ts';
import type { Progress } from '../report/progress.ts';

export class RunWatch {
  /** why the run was stopped early, once it was */
  stopped?: string;
  /** the exit code a stop asks for */
  stopCode: 1 | 2 = 2;
  /** creates answered without a usable customer (each may have stored one that cannot be deleted by id) */
  unusableCreates = 0;
  private brokenInARow = 0;
  private readonly streak: number;

  constructor(
    private readonly progress: Progress,
    concurrency: number,
    /** stops the run in progress */
    private readonly cancel: () => void,
  ) {
    this.streak = Math.max(12, 2 * concurrency);
  }

  private stop(why: string, code: 1 | 2 = 2): void {
    if (this.stopped) return;
    this.stopped = why;
    this.stopCode = code;
    this.cancel();
  }

  readonly onResult = (r: CheckResult): void => {
    this.progress.add(r);
    if (r.stop) this.stop(r.stop, r.stopCode);
    this.unusableCreates = Math.max(this.unusableCreates, r.unusableCreates ?? 0);
    this.brokenInARow = r.status === 'broken' && r.cause === 'environment' ? this.brokenInARow + 1 : 0;
    if (this.brokenInARow >= this.streak) {
      const last = r.reason?.split('\n')[0];
      this.stop(`${this.streak} checks in a row broke on the environment even when tried again (the last: ${last})`);
    }
  };
}
