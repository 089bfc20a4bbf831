// What `npm run bench` (bin/bench.ts) runs: the latency × run matrix (each row measured by measure-row.ts,
// the end-to-end figure by end-to-end.ts) or a soak, written to reports/bench.json or bench-soak.json, and the
// README's Performance section rewritten from them (its text in bench-text.ts).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { benchTargets, type BenchOptions, type BenchReport, type E2eFigure } from './bench-report.ts';
import {
  E2E_HEAD,
  e2eLine,
  e2eRows,
  fmtS,
  readmeSection,
  soakLines,
  summaryLines,
  type SoakFigures,
} from './bench-text.ts';
import { runChild } from './child.ts';
import { endToEnd } from './end-to-end.ts';
import { replaceMarked, TABLE_HEAD, tableRows, textTable } from './figures.ts';
import { measureRow, type BenchRun } from './measure-row.ts';
import type { SoakResult } from './soak.ts';
import { startTargetProcess, type TargetProcess } from './target-child.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

type Say = (line: string) => void;

/** The runs of one latency: the full suite at each concurrency, then each number of workflows at its own. */
const runsOf = (args: BenchOptions): BenchRun[] => [
  ...args.concurrency.map((concurrency) => ({ label: 'full suite', kind: 'full' as const, concurrency })),
  ...args.workflows.map((n) => ({
    label: `${n} workflow${n === 1 ? '' : 's'}`,
    kind: 'workflows' as const,
    workflows: n,
    concurrency: n,
  })),
];

/** The progress line of one measured row. */
function rowLine(latencyMs: number, run: BenchRun, row: BenchReport['rows'][number]): string {
  const replay = row.replay ? `  replay ${fmtS(row.replay.wallMs)}` : '';
  const where = `${String(latencyMs).padStart(3)} ms  ${run.label.padEnd(13)} c=${String(run.concurrency).padEnd(3)}`;
  return `  ${where} ${fmtS(row.wallMs).padStart(8)}  ${row.requests} requests${replay}`;
}

/** `npm run conformance` at this latency and the first concurrency, beside the replay of that full-suite row. */
async function measureEndToEnd(
  target: TargetProcess,
  latencyMs: number,
  args: BenchOptions,
  rows: BenchReport['rows'],
  say: Say,
): Promise<E2eFigure> {
  const concurrency = args.concurrency[0] ?? 8;
  const e = await endToEnd(target, latencyMs, concurrency, args.seed);
  const full = rows.find((r) => r.latencyMs === latencyMs && r.label === 'full suite' && r.concurrency === concurrency);
  const replayMs = full?.replay?.wallMs;
  const figure = { ...e, replayMs, replayRatio: replayMs ? e.wallMs / replayMs : undefined };
  say(e2eLine(figure));
  return figure;
}

async function runMatrix(args: BenchOptions, say: Say): Promise<BenchReport> {
  const c = cpus();
  const report: BenchReport = {
    generatedAt: new Date().toISOString(),
    machine: { node: process.version, cpus: c.length, cpu: c[0]?.model.trim() ?? 'unknown', loadavgAtStart: loadavg() },
    seed: args.seed,
    rows: [],
    targets: { workflowScaling: [] },
  };
  for (const latencyMs of args.latencies) {
    const target = await startTargetProcess(latencyMs);
    try {
      for (const run of runsOf(args)) {
        const row = await measureRow(target.url, latencyMs, run, args, () => target.count());
        report.rows.push(row);
        say(rowLine(latencyMs, run, row));
      }
      if (args.e2e) (report.e2e ??= []).push(await measureEndToEnd(target, latencyMs, args, report.rows, say));
    } finally {
      await target.close();
    }
  }
  report.targets = benchTargets(report.rows);
  return report;
}

async function runSoak(args: BenchOptions, say: Say): Promise<SoakFigures> {
  const latencyMs = args.latencies[0] ?? 0;
  const concurrency = args.concurrency[0] ?? 8;
  const target = await startTargetProcess(latencyMs);
  try {
    say(`soak: ${args.soak} workflows at concurrency ${concurrency}, ${latencyMs} ms latency …`);
    const s = await runChild<SoakResult & { pending: number; peakRssMb: number }>(
      { mode: 'soak', url: target.url, workflows: args.soak!, concurrency, seed: args.seed, samples: 40 },
      ROOT,
    );
    return { ...s, latencyMs, residue: (await target.count()).live };
  } finally {
    await target.close();
  }
}

export const BENCH_REPORTS = join(ROOT, 'reports');
const BENCH_FILE = join(BENCH_REPORTS, 'bench.json');
const SOAK_FILE = join(BENCH_REPORTS, 'bench-soak.json');

/** A soak, written to reports/bench-soak.json; true when memory stayed flat, all passed and nothing was left. */
export async function benchSoak(args: BenchOptions, say: Say): Promise<boolean> {
  const s = await runSoak(args, say);
  writeFileSync(SOAK_FILE, JSON.stringify(s, null, 2) + '\n');
  for (const l of soakLines(s)) say(l);
  say(`written: reports/bench-soak.json`);
  return s.flatness.flat && s.residue === 0 && s.notPassed === 0;
}

/**
 * The latency × run matrix (and the end-to-end figure), written to reports/bench.json; true when every
 * check passed and nothing was left.
 */
export async function benchMatrix(args: BenchOptions, say: Say): Promise<boolean> {
  const what = [
    `latencies ${args.latencies.join(', ')} ms`,
    `full suite at concurrency ${args.concurrency.join(', ')}`,
    `${args.workflows.join(', ')} workflows`,
    'target and suite in separate processes',
  ];
  say(`benchmark: ${what.join(' · ')}`);
  const report = await runMatrix(args, say);
  writeFileSync(BENCH_FILE, JSON.stringify(report, null, 2) + '\n');
  say('');
  say(textTable(TABLE_HEAD, tableRows(report.rows)));
  say('');
  if (report.e2e?.length) say(textTable(E2E_HEAD, e2eRows(report.e2e)) + '\n');
  for (const l of summaryLines(report)) say(l);
  say(`written: reports/bench.json`);
  return report.rows.every((r) => r.notPassed === 0 && r.residue === 0);
}

/** The Performance section of README.md, from the last reports/bench.json and bench-soak.json. */
export function rewriteBenchReadme(say: Say): void {
  const readmeFile = join(ROOT, 'README.md');
  const read = <T>(f: string): T | undefined =>
    existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as T) : undefined;
  const text = existsSync(readmeFile) ? readFileSync(readmeFile, 'utf8') : '';
  writeFileSync(readmeFile, replaceMarked(text, readmeSection(read<BenchReport>(BENCH_FILE), read(SOAK_FILE))));
  say('README.md: Performance section rewritten');
}
