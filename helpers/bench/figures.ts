// The benchmark's arithmetic and its presentation: the ideal time a perfect client would need, the harness
// overhead ratio, the table, and the README section between its markers. Pure functions, unit-tested.
import { sectionMarkers, withSection } from '../report/readme-section.ts';

/** What one suite run against the benchmark target measured. */
export interface SuiteFigures {
  /** 'full suite' or 'N workflows' */
  label: string;
  latencyMs: number;
  concurrency: number;
  checks: number;
  /** checks that did not pass (a correct target must give 0) */
  notPassed: number;
  wallMs: number;
  /** HTTP requests sent, retries included */
  requests: number;
  /** peak resident set size of the suite process, MB */
  peakRssMb: number;
  /** peak V8 heap in use (sampled every 10 ms), MB */
  peakHeapMb: number;
  /** customers the run left on the target */
  residue: number;
  /** the same requests replayed with bare undici at the same concurrency */
  replay?: ReplayFigures;
}

export interface ReplayFigures {
  wallMs: number;
  requests: number;
  /** replayed requests whose status differed from the suite's */
  statusMismatches: number;
  residue: number;
}

/** requests × latency ÷ concurrency: what a client with no cost of its own would need. */
export function idealMs(requests: number, latencyMs: number, concurrency: number): number {
  return (requests * latencyMs) / Math.max(1, concurrency);
}

/** wall ÷ ideal; undefined at 0 ms latency, where the ideal is 0 and the ratio has no meaning. */
export function overheadRatio(
  wallMs: number,
  requests: number,
  latencyMs: number,
  concurrency: number,
): number | undefined {
  const ideal = idealMs(requests, latencyMs, concurrency);
  return ideal > 0 ? wallMs / ideal : undefined;
}

export const perSecond = (n: number, ms: number): number => (ms > 0 ? (n * 1000) / ms : 0);

const fmtMs = (ms: number): string =>
  ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
const fmt = (n: number | undefined, digits = 0): string => (n === undefined ? '–' : n.toFixed(digits));

export function tableRows(rows: readonly SuiteFigures[]): string[][] {
  return rows.map((r) => [
    `${r.latencyMs} ms`,
    r.label,
    String(r.concurrency),
    fmtMs(r.wallMs),
    String(r.requests),
    fmt(perSecond(r.requests, r.wallMs)),
    r.latencyMs > 0 ? fmtMs(idealMs(r.requests, r.latencyMs, r.concurrency)) : '–',
    fmt(overheadRatio(r.wallMs, r.requests, r.latencyMs, r.concurrency), 2),
    r.replay ? fmtMs(r.replay.wallMs) : '–',
    r.replay ? fmt(r.wallMs / r.replay.wallMs, 2) : '–',
    fmt(r.peakRssMb),
    fmt(r.peakHeapMb),
    r.notPassed === 0 && r.residue === 0 ? 'yes' : `**no** (${r.notPassed} not passed, ${r.residue} left)`,
  ]);
}

export const TABLE_HEAD = [
  'latency',
  'run',
  'concurrency',
  'wall',
  'requests',
  'req/s',
  'ideal',
  'overhead ratio',
  'undici replay',
  'suite ÷ replay',
  'peak RSS MB',
  'peak heap MB',
  'all passed, 0 left',
];

export function markdownTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

/** The same table for a terminal: columns padded to width. */
export function textTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [head, ...rows];
  const w = head.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').replace(/\*\*/g, '').length)));
  return all
    .map((r) =>
      r
        .map((c, i) => c.replace(/\*\*/g, '').padEnd(w[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export const { start: README_START, end: README_END } = sectionMarkers('bench');

/**
 * README.md with the text between the bench markers replaced by `section`; when the markers are missing, a
 * "## Performance" section holding them is appended. Nothing outside the markers changes.
 */
export function replaceMarked(readme: string, section: string): string {
  const replaced = withSection(readme, 'bench', section);
  if (replaced !== undefined) return replaced;
  const body = `${README_START}\n${section.trim()}\n${README_END}`;
  const sep = readme.length === 0 ? '' : readme.endsWith('\n\n') ? '' : readme.endsWith('\n') ? '\n' : '\n\n';
  return `${readme}${sep}## Performance\n\n${body}\n`;
}
