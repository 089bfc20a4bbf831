// Ctrl-C (SIGINT), SIGTERM and a closed terminal (SIGHUP) during a run: the first stops the run in progress
// and lets it delete what it created; the second says that this is under way; a third abandons it.
// An exception nothing caught (an 'error' event no one listens to, as vitest's pool emits when a worker dies;
// a promise rejected with no handler) stops the run the same way: Node would print a stack trace and exit 1,
// the code of a nonconformance, with what the run created left on the target. The run says it and exits 2.
type Stream = Pick<NodeJS.WriteStream, 'write'>;

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export class Interrupts {
  /** the signal that interrupted the run, once one has */
  interrupted?: string;
  /** stops the run in progress (set while vitest runs) */
  cancel?: () => Promise<void>;
  /** the first exception nothing caught, once one came: a fault of the suite or its machine */
  fault?: Error;
  private last = 0;
  private count = 0;

  constructor(private readonly err: Stream) {}

  private readonly onSignal = (sig: NodeJS.Signals): void => {
    // one Ctrl-C can arrive twice (from the terminal and relayed by npm/tsx)
    if (Date.now() - this.last < 300) return;
    this.last = Date.now();
    this.count++;
    if (this.count === 2)
      return void this.err.write(
        `conformance: still deleting what the run created; ${sig} once more abandons that ` +
          '(npm run cleanup removes it later)\n',
      );
    if (this.count > 2) process.exit(130);
    this.interrupted = sig;
    this.err.write(`\nconformance: ${sig} received: stopping the run and deleting what it created…\n`);
    void this.cancel?.();
  };

  private readonly onFault = (e: unknown): void => {
    if (this.fault) return;
    this.fault = e instanceof Error ? e : new Error(String(e));
    void this.cancel?.();
  };

  /** From now on a signal (the terminal going away, as an ssh session closes, too) or a fault stops the run. */
  listen(): this {
    for (const sig of SIGNALS) process.on(sig, this.onSignal);
    process.on('uncaughtException', this.onFault).on('unhandledRejection', this.onFault);
    return this;
  }

  stopListening(): void {
    for (const sig of SIGNALS) process.off(sig, this.onSignal);
    process.off('uncaughtException', this.onFault).off('unhandledRejection', this.onFault);
  }
}
