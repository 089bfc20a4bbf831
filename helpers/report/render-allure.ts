// The Allure HTML report of a run: reports/allure-results rendered into one self-contained
// reports/allure-report/index.html that calls no host, with the certificate and the contract attached to the
// report as a whole; and the entries the run adds to the results' environment.
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compactHistory } from './allure-history.ts';
import { nextSaid, startGenerator, takeAhead, type Said } from './generator-process.mjs';
import { makeOffline } from './offline.ts';
import { writeReportGlobals } from './report-globals.ts';

const RENDER_TIMEOUT_MS = 120_000;
/** how long the names of written results gather before they go to the generator together */
const BATCH_MS = 20;

/**
 * The report's renderer, loaded ahead (helpers/report/allure-generate.mjs): created when a run begins, it
 * renders one report when asked. `close` ends it when the run ends without a report.
 */
export class AllureRenderer {
  private readonly child: ChildProcess;
  /** what it says next, or its exit (as a failure) */
  private next: Promise<Said>;
  /** why it cannot render, once known */
  why?: string;
  /** whether the generator has started the report (`begin`) */
  private begun = false;
  /** the results written since the last batch sent */
  private readonly batch: string[] = [];
  private batchTimer?: NodeJS.Timeout;

  constructor() {
    // the one the run's preload started, if it did
    const generator = takeAhead() ?? startGenerator();
    this.child = generator.child;
    this.next = generator.first;
  }

  /**
   * Has the generator start the report of `reports` (reading the history of earlier runs) and read the results
   * written so far, then each as `written` says it is whole: after the checks, only what came last and the
   * rendering itself are left. The run begins once a worker's part has ended, on the core it leaves: from the
   * run's start, the reading took turns with the checks on two busy cores and gained nothing (1.02 times the
   * wall time); from then, 0.97 (fourteen pairs, twice). Once is enough.
   */
  begin(reports: string): void {
    if (this.begun) return;
    this.begun = true;
    this.say({ kind: 'begin', reports, resultsDir: join(reports, 'allure-results') });
    this.sendBatch();
  }

  /** `name`, in the results folder, is whole: the generator reads it with the next batch, once begun. */
  written(name: string): void {
    this.batch.push(name);
    // a batch every few milliseconds rather than a message a file
    if (this.begun) this.batchTimer ??= setTimeout(() => this.sendBatch(), BATCH_MS).unref();
  }

  private sendBatch(): void {
    clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
    if (this.batch.length) this.say({ kind: 'results', names: this.batch.splice(0) });
  }

  /**
   * Has the generator read `reports`/allure-results (written and flushed) while the run writes its summaries
   * and certificate, on the core the checks no longer use: what it has not read yet, but for what the run
   * writes last (its verdict's environment entries, the executor); `render` then reads those.
   */
  ingest(reports: string): void {
    // the names not sent yet go first (the generator reads each file once); the rest from the folder
    this.sendBatch();
    this.say({ kind: 'ingest', reports, resultsDir: join(reports, 'allure-results') });
  }

  /** Sends `message` once the generator is ready (in the order said); nothing when it failed to load. */
  private say(message: object): void {
    this.next = this.next.then((ready) => {
      // a generator gone meanwhile fails the render, which hears of its exit
      if (ready.kind === 'ready') this.child.send(message, () => undefined);
      return ready;
    });
  }

  /** Renders `reports`/allure-results (and the report's globals); false, with `why`, when it could not. */
  async render(reports: string, name: string): Promise<boolean> {
    const ready = await this.next;
    if (ready.kind !== 'ready') return this.failed(ready);
    this.next = nextSaid(this.child);
    const resultsDirs = [join(reports, 'allure-results'), writeReportGlobals(reports)];
    this.child.send({ kind: 'render', reports, name, resultsDirs });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Said>((done) => {
      timer = setTimeout(
        () => done({ kind: 'failed', why: `no report after ${RENDER_TIMEOUT_MS} ms` }),
        RENDER_TIMEOUT_MS,
      );
    });
    const end = await Promise.race([this.next, timeout]).finally(() => clearTimeout(timer));
    this.close();
    return end.kind === 'done' || this.failed(end);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  private failed(m: Said): false {
    this.why = m.kind === 'failed' ? m.why : `the generator said ${m.kind}`;
    this.close();
    return false;
  }

  close(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill();
  }
}

/**
 * Renders `reports`/allure-results into `reports`/allure-report with `renderer` (a fresh one unless the run
 * loaded one ahead); false when it could not.
 */
export async function renderAllure(
  reports: string,
  name = 'Customer API conformance',
  renderer = new AllureRenderer(),
): Promise<boolean> {
  if (!(await renderer.render(reports, name))) return false;
  compactHistory(join(reports, 'allure-history.jsonl'));
  makeOffline(join(reports, 'allure-report'));
  return true;
}

/** Adds entries to the results' environment.properties (Java properties: spaces, = and : in keys escaped). */
export function appendEnvironment(resultsDir: string, entries: Record<string, string>): void {
  const key = (k: string) => k.replace(/([ =:\\])/g, '\\$1');
  const lines = Object.entries(entries).map(([k, v]) => `${key(k)}=${v.replace(/\n/g, ' ')}`);
  const file = join(resultsDir, 'environment.properties');
  const before = existsSync(file) ? readFileSync(file, 'utf8') : '';
  writeFileSync(file, `${lines.join('\n')}\n${before}`);
}
