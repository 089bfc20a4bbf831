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

  constructor() {
    // the one the run's preload started, if it did
    const generator = takeAhead() ?? startGenerator();
    this.child = generator.child;
    this.next = generator.first;
  }

  /**
   * Has the generator read `reports`/allure-results (written and flushed) while the run writes its summaries
   * and certificate, on the core the checks no longer use; `render` then reads what came after them.
   */
  ingest(reports: string): void {
    this.next = this.next.then((ready) => {
      if (ready.kind === 'ready')
        this.child.send({ kind: 'ingest', reports, resultsDir: join(reports, 'allure-results') });
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
