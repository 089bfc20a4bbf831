// Progress while the checks run: on a terminal, a compact live line (checks done / total) redrawn in place;
// without one (a CI log), a plain line every 10 s, so a long run shows it is alive without flooding the log.
import type { CheckResult } from './result.ts';
import type { Paint } from './summary.ts';

/** How often a run without a terminal says how far it is. */
export const LOG_PROGRESS_MS = 10_000;

export class Progress {
  private done = 0;
  private failed = 0;
  private broken = 0;
  private notVerified = 0;
  private last = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly total: number,
    private readonly out: NodeJS.WriteStream,
    private readonly p: Paint,
    everyMs = LOG_PROGRESS_MS,
  ) {
    if (!this.live && total > 0) {
      this.timer = setInterval(() => this.logLine(), everyMs);
      this.timer.unref();
    }
  }

  get live(): boolean {
    return !!this.out.isTTY;
  }

  add(r: CheckResult): void {
    this.done++;
    if (r.status === 'failed') this.failed++;
    if (r.status === 'broken') this.broken++;
    if (r.status === 'not-verified') this.notVerified++;
    const now = Date.now();
    if (this.live && (now - this.last > 80 || this.done === this.total)) {
      this.last = now;
      this.out.write(`\r\x1b[K${this.line(true)}`);
    }
  }

  /** "  checks 12/80 · 0 failed · 1 broken · 3 not verified" */
  private line(terminal: boolean): string {
    const failed = this.failed ? this.p.red(`${this.failed} failed`) : this.p.green('0 failed');
    // on a terminal the broken count shows once there is one; in a log always, so every line reads alike
    const broken = this.broken ? this.p.yellow(`${this.broken} broken`) : '0 broken';
    const brokenPart = this.broken || !terminal ? ` · ${broken}` : '';
    return `  checks ${this.done}/${this.total} · ${failed}${brokenPart} · ${this.notVerified} not verified`;
  }

  private logLine(): void {
    this.out.write(`${this.line(false)}\n`);
  }

  end(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.live && this.done) this.out.write('\n');
  }
}
