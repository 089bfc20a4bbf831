// What `npm run bench` (bin/bench.ts) measures: the suite engine against the embedded reference target (in
// its own process) with an added latency per request, next to a bare-undici replay of the same requests;
// one end-to-end `npm run conformance` run; optionally a soak. Table on stdout, reports/bench.json, README
// section.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runChild, type SuiteChildResult } from './child.ts';
import {
  idealMs,
  markdownTable,
  overheadRatio,
  perSecond,
  replaceMarked,
  TABLE_HEAD,
  tableRows,
  textTable,
  type SuiteFigures,
} from './figures.ts';
import type { ReplayResult } from './replay.ts';
import type { SoakResult } from './soak.ts';
import { startTargetProcess } from './target-child.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** What to measure (the command's arguments, see bin/bench.ts). */
export interface BenchOptions {
  latencies: number[];
  workflows: number[];
  concurrency: number[];
  replay: boolean;
  e2e: boolean;
  /** run only a soak of this many workflows */
  soak?: number;
  seed: number;
}

export interface E2eFigure {
  wallMs: number;
  exitCode: number | null;
  checks?: number;
  verdict?: string;
}

export interface BenchReport {
  generatedAt: string;
  machine: { node: string; cpus: number; cpu: string; loadavgAtStart: number[] };
  seed: number;
  rows: (SuiteFigures & {
    reqPerSec: number;
    idealMs: number;
    overheadRatio: number | null;
    cpuMs: number;
    warmupMs: number;
  })[];
  e2e?: E2eFigure;
  targets: {
    fullSuite0msUnder5s?: boolean;
    overheadUnder1_5At50ms?: boolean;
    workflowScaling: { latencyMs: number; walls: { workflows: number; wallMs: number }[] }[];
  };
}

/** The suite engine and its replay, one row, against a running target. */
async function measureRow(
  url: string,
  latencyMs: number,
  run: { label: string; kind: 'full' | 'workflows'; workflows?: number; concurrency: number },
  args: BenchOptions,
  count: () => Promise<{ live: number }>,
): Promise<BenchReport['rows'][number]> {
  const dir = mkdtempSync(join(tmpdir(), 'conformance-bench-'));
  const recordFile = args.replay ? join(dir, 'requests.json') : undefined;
  try {
    const before = (await count()).live;
    const s = await runChild<SuiteChildResult>(
      {
        mode: 'suite',
        url,
        run: run.kind,
        workflows: run.workflows,
        concurrency: run.concurrency,
        seed: args.seed,
        recordFile,
      },
      ROOT,
    );
    const after = (await count()).live;
    // what the target still holds of this run, and what the run's own ledger says it left
    const residue = Math.max(after - before, s.pending);
    if (s.notPassed)
      process.stderr.write(
        `bench: ${s.notPassed} check(s) did not pass against the reference target:\n  ${s.problems.join('\n  ')}\n`,
      );
    let replay: SuiteFigures['replay'];
    if (recordFile) {
      const r = await runChild<ReplayResult>({ mode: 'replay', recordFile, concurrency: run.concurrency }, ROOT);
      replay = {
        wallMs: r.wallMs,
        requests: r.requests,
        statusMismatches: r.statusMismatches + r.errors,
        residue: (await count()).live - after,
      };
    }
    const row: SuiteFigures = {
      label: run.label,
      latencyMs,
      concurrency: run.concurrency,
      checks: s.checks,
      notPassed: s.notPassed,
      wallMs: s.wallMs,
      requests: s.requests,
      peakRssMb: s.peakRssMb,
      peakHeapMb: s.peakHeapMb,
      residue,
      replay,
    };
    return {
      ...row,
      cpuMs: s.cpuMs,
      warmupMs: s.warmupMs,
      reqPerSec: perSecond(s.requests, s.wallMs),
      idealMs: idealMs(s.requests, latencyMs, run.concurrency),
      overheadRatio: overheadRatio(s.wallMs, s.requests, latencyMs, run.concurrency) ?? null,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `npm run conformance` as a user runs it (vitest, Allure, JUnit, summaries, allure generate), embedded target, 0 ms. */
async function endToEnd(seed: number): Promise<E2eFigure> {
  const reports = mkdtempSync(join(tmpdir(), 'conformance-bench-e2e-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CUSTOMER_API_TARGET: 'embedded',
    CONFORMANCE_REPORTS_DIR: reports,
    CONFORMANCE_SEED: String(seed),
    NO_COLOR: '1',
  };
  delete env.CI;
  delete env.CUSTOMER_API_BASE_URL;
  const t0 = performance.now();
  try {
    return await new Promise<E2eFigure>((done, fail) => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bin', 'conformance.ts')], {
        cwd: ROOT,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.on('error', fail);
      child.on('exit', (code) => {
        const wallMs = performance.now() - t0;
        const checks = /· (\d+) checks ·/.exec(out)?.[1];
        done({
          wallMs,
          exitCode: code,
          checks: checks ? Number(checks) : undefined,
          verdict: /Verdict: ([A-Z ]+?)\s{2}/.exec(out)?.[1],
        });
      });
    });
  } finally {
    rmSync(reports, { recursive: true, force: true });
  }
}

const fmtS = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export function benchTargets(rows: BenchReport['rows']): BenchReport['targets'] {
  const full = rows.filter((r) => r.label === 'full suite');
  const at0 = full.filter((r) => r.latencyMs === 0);
  const at50 = full.filter((r) => r.latencyMs === 50);
  const latencies = [...new Set(rows.map((r) => r.latencyMs))];
  return {
    fullSuite0msUnder5s: at0.length ? at0.every((r) => r.wallMs < 5000 && r.notPassed === 0) : undefined,
    overheadUnder1_5At50ms: at50.length ? at50.every((r) => (r.overheadRatio ?? Infinity) < 1.5) : undefined,
    workflowScaling: latencies.map((latencyMs) => ({
      latencyMs,
      walls: rows
        .filter((r) => r.latencyMs === latencyMs && r.label !== 'full suite')
        .map((r) => ({ workflows: r.checks, wallMs: r.wallMs })),
    })),
  };
}

export function summaryLines(report: BenchReport): string[] {
  const t = report.targets;
  const yes = (b: boolean | undefined) => (b === undefined ? 'not measured' : b ? 'met' : 'NOT met');
  const lines = [
    `full suite at 0 ms under 5 s: ${yes(t.fullSuite0msUnder5s)}; overhead ratio under 1.5 at 50 ms: ${yes(t.overheadUnder1_5At50ms)}`,
    ...t.workflowScaling
      .filter((s) => s.walls.length > 1)
      .map(
        (s) =>
          `workflow scaling at ${s.latencyMs} ms (concurrency = workflows): ${s.walls.map((w) => `${w.workflows} → ${fmtS(w.wallMs)}`).join(', ')}`,
      ),
  ];
  if (report.e2e)
    lines.push(
      `end to end, npm run conformance (vitest + Allure + JUnit + allure generate, embedded target in-process, 0 ms): ${fmtS(report.e2e.wallMs)} for ${report.e2e.checks ?? '?'} checks, verdict ${report.e2e.verdict ?? '?'} (exit ${report.e2e.exitCode})`,
    );
  return lines;
}

export function soakLines(s: SoakResult & { residue: number; latencyMs: number; peakRssMb: number }): string[] {
  const f = s.flatness;
  return [
    `soak: ${s.workflows} workflows at concurrency ${s.concurrency}, ${s.latencyMs} ms latency: ${fmtS(s.wallMs)}, ${s.requests} requests, ${s.notPassed} not passed, ${s.residue} customers left`,
    `heap after ${s.gc ? 'full GC' : 'no GC (unavailable)'}: first quarter ${f.firstMb.toFixed(1)} MB, last quarter ${f.lastMb.toFixed(1)} MB (×${f.ratio.toFixed(2)}, ${Math.round(f.bytesPerWorkflow)} bytes per workflow): ${f.flat ? 'flat' : 'NOT flat'}; peak RSS ${s.peakRssMb.toFixed(0)} MB`,
  ];
}

export function readmeSection(
  report: BenchReport | undefined,
  soak: (SoakResult & { residue: number; latencyMs: number; peakRssMb: number }) | undefined,
): string {
  const parts = [
    '_Generated by `npm run bench -- --readme`; numbers from one run on the machine below, so expect some noise._',
    '',
    'What each figure includes:',
    '- **wall**: the suite engine, i.e. the same checks, `CheckContext`, `CustomerApi`, keep-alive `HttpClient` and ledger file as `npm run conformance`, run by the in-process runner (`suites/model/run-checks.ts`) with no vitest or Allure. Timed from the first request to the last answer, in a fresh process after one untimed workflow (connections open, first calls compiled); the target (the embedded reference target with the added latency per request) runs in a process of its own. **requests**: HTTP requests sent, retries included.',
    "- **ideal** = requests × latency ÷ concurrency: what a client with no cost of its own would need. **overhead ratio** = wall ÷ ideal (none at 0 ms). It means something where latency dominates (50 ms): at 0 and 5 ms the time is CPU, the suite's and the target's on the same cores, which no client avoids (compare the replay), and those rows move with the machine's load. Each check is a chain of dependent requests, so even a perfect client sits above 1.0 by the last chains' tail.",
    "- **undici replay**: the exact requests the suite sent (method, URL, headers, body), replayed by a plain script (`helpers/bench/replay.ts`) with bare undici, one keep-alive Agent, at the same concurrency, each check's requests in order (ids swapped for the replay's own creates, so the statuses match). **suite ÷ replay** is the harness's cost over that.",
    '- **peak RSS / heap**: of the suite process (RSS includes Node, tsx and the loaded modules; heap sampled every 20 ms).',
    '- **end to end** is one `npm run conformance` (process start, vitest workers, Allure attachments, JUnit, summaries and `allure generate` of the HTML report) against the embedded target in-process: what a user waits for, not the engine.',
  ];
  if (report) {
    const m = report.machine;
    parts.push(
      '',
      `${report.generatedAt.slice(0, 10)} · Node ${m.node} · ${m.cpus} × ${m.cpu} · load average at start ${m.loadavgAtStart.map((x) => x.toFixed(2)).join(' ')} · seed ${report.seed}`,
      '',
    );
    parts.push(markdownTable(TABLE_HEAD, tableRows(report.rows)), '');
    parts.push(...summaryLines(report).map((l) => `- ${l}`));
  }
  if (soak)
    parts.push(
      '',
      '`npm run bench -- --soak ' +
        soak.workflows +
        '` (the in-process runner; the heap sampled after a full GC as workflows finish):',
      ...soakLines(soak).map((l) => `- ${l}`),
    );
  parts.push(
    '',
    'Reproduce: `npm run bench` (about two minutes on 2 cores), `npm run bench -- --soak 500`, `npm run bench -- --latency 50 --concurrency 8,32 --no-e2e`. ' +
      "`npm run conformance -- --repeat N` is the soak as a certification run: N workflows, each with its own data and customers, under vitest with Allure. There vitest keeps every test's record for the report (its result, and its Allure steps and attachments in the worker until the test file ends), so memory grows by some tens of KB per workflow; the engine itself stays flat, as above.",
  );
  return parts.join('\n');
}

async function runMatrix(args: BenchOptions, say: (s: string) => void): Promise<BenchReport> {
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
      const runs = [
        ...args.concurrency.map((concurrency) => ({ label: 'full suite', kind: 'full' as const, concurrency })),
        ...args.workflows.map((n) => ({
          label: `${n} workflow${n === 1 ? '' : 's'}`,
          kind: 'workflows' as const,
          workflows: n,
          concurrency: n,
        })),
      ];
      for (const run of runs) {
        const row = await measureRow(target.url, latencyMs, run, args, () => target.count());
        report.rows.push(row);
        say(
          `  ${String(latencyMs).padStart(3)} ms  ${run.label.padEnd(13)} c=${String(run.concurrency).padEnd(3)} ${fmtS(row.wallMs).padStart(8)}  ${row.requests} requests${row.replay ? `  replay ${fmtS(row.replay.wallMs)}` : ''}`,
        );
      }
    } finally {
      await target.close();
    }
  }
  if (args.e2e) {
    say('  end to end: npm run conformance …');
    report.e2e = await endToEnd(args.seed);
  }
  report.targets = benchTargets(report.rows);
  return report;
}

async function runSoak(args: BenchOptions, say: (s: string) => void) {
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

type Say = (line: string) => void;

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
