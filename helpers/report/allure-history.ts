// The Allure report's history (reports/allure-history.jsonl: a line a run, a test an entry, kept for the trend
// and each test's history tab). Allure records every test's labels and full name in it: two thirds of each
// line, read back into every later report (a report 20 runs on was twice the size of the first, and took
// a second longer to generate). After each report the history keeps what the trend and the tab show.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** What a test's history entry keeps: its identity, outcome, timing and link. */
const KEPT = ['id', 'historyId', 'name', 'environment', 'status', 'start', 'stop', 'duration', 'url'] as const;

type Entry = Record<string, unknown> & { error?: { message?: string } };

function compactEntry(e: Entry): Entry {
  const out: Entry = Object.fromEntries(KEPT.filter((k) => k in e).map((k) => [k, e[k]]));
  // the message says why it failed; the trace is in that run's own report
  if (e.error?.message) out.error = { message: e.error.message };
  return out;
}

/**
 * Whether `line` may hold more than compactEntry keeps. Allure appends each run's line, with every test's labels,
 * and this runs after every report: the lines before the last were made compact when they were last, and a
 * line never made compact (an older suite's, a run stopped before this) holds labels. Parsing and writing the
 * others again took a report's end some 20 ms for nothing.
 */
const mayNeedCompacting = (line: string, i: number, lines: string[]) =>
  i === lines.length - 1 || line.includes('"labels":');

/** Rewrites `file` (a history line a run) with compact test entries; lines that are not JSON stay as they are. */
export function compactHistory(file: string): void {
  if (!existsSync(file)) return;
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const compacted = lines.map((line, i) => {
    if (!mayNeedCompacting(line, i, lines)) return line;
    try {
      const point = JSON.parse(line) as { testResults?: Record<string, Entry> };
      for (const [k, e] of Object.entries(point.testResults ?? {})) point.testResults![k] = compactEntry(e);
      return JSON.stringify(point);
    } catch {
      return line;
    }
  });
  writeFileSync(file, `${compacted.join('\n')}\n`);
}
