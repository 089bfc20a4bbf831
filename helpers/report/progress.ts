// A compact live progress line (checks done / total) on a terminal; silent otherwise.
import type { CheckResult } from './result.ts';
import type { Paint } from './summary.ts';

export class Progress {
  private done = 0;
  private failed = 0;
  private broken = 0;
  private notVerified = 0;
  private last = 0;

  constructor(
    private readonly total: number,
    private readonly out: NodeJS.WriteStream,
    private readonly p: Paint,
  ) {}

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
      const failed = this.failed ? this.p.red(`${this.failed} failed`) : this.p.green('0 failed');
      const broken = this.broken ? ` · ${this.p.yellow(`${this.broken} broken`)}` : '';
      this.out.write(
        `\r\x1b[K  checks ${this.done}/${this.total} · ${failed}${broken} · ${this.notVerified} not verified`,
      );
    }
  }

  end(): void {
    if (this.live && this.done) this.out.write('\n');
  }
}
