// The benchmark's pieces: its arithmetic, its README section, its arguments, the clock wait that replaces
// fixed sleeps, --repeat, and the bare-undici replay (same requests, same statuses, nothing left behind).
import { ALL_READINGS } from '../fixtures/contract/readings.ts';
import { describe, expect, test } from 'vitest';
import { hashSeed } from '../fixtures/data/factories.ts';
import { startTarget } from '../fixtures/target/server.ts';
import { parseBenchArgs } from '../bin/bench.ts';
import { benchTargets, type BenchReport } from '../helpers/bench/bench-report.ts';
import { readmeSection } from '../helpers/bench/bench-text.ts';
import {
  idealMs,
  overheadRatio,
  perSecond,
  README_END,
  README_START,
  replaceMarked,
  TABLE_HEAD,
  tableRows,
  type SuiteFigures,
} from '../helpers/bench/figures.ts';
import { recordExchange, replay, type Chain } from '../helpers/bench/replay.ts';
import { flatness } from '../helpers/bench/soak.ts';
import { checkTitle, type StepReporter } from '../helpers/report/result.ts';
import { parseArgs } from '../bin/conformance.ts';
import { createRunEnv, embeddedConfig } from '../helpers/run/run-env.ts';
import { runChecks } from '../suites/model/run-checks.ts';
import { msUntilClockTicks, parseInstant, tickMs } from '../helpers/client/time.ts';
import { allChecks } from '../suites/registry.ts';
import { withRepeats } from '../suites/repeat.ts';

const row = (o: Partial<SuiteFigures>): SuiteFigures => ({
  label: 'full suite',
  latencyMs: 50,
  concurrency: 8,
  checks: 10,
  notPassed: 0,
  wallMs: 1000,
  requests: 100,
  peakRssMb: 100,
  peakHeapMb: 40,
  residue: 0,
  ...o,
});

describe('figures', () => {
  test('ideal time and overhead ratio', () => {
    expect(idealMs(2000, 50, 8)).toBe(12_500);
    expect(overheadRatio(15_000, 2000, 50, 8)).toBeCloseTo(1.2);
    expect(overheadRatio(3000, 2000, 0, 8)).toBeUndefined();
    expect(idealMs(6, 50, 0)).toBe(300);
    expect(perSecond(2000, 4000)).toBe(500);
  });

  test('table rows: the ratio only where there is latency, the replay where it ran, a failed row flagged', () => {
    const [a, b] = tableRows([
      row({ replay: { wallMs: 800, requests: 100, statusMismatches: 0, residue: 0 } }),
      row({ latencyMs: 0, notPassed: 1, residue: 2 }),
    ]);
    expect(a).toHaveLength(TABLE_HEAD.length);
    expect(a![TABLE_HEAD.indexOf('ideal')]).toBe('625 ms');
    expect(a![TABLE_HEAD.indexOf('overhead ratio')]).toBe('1.60');
    expect(a![TABLE_HEAD.indexOf('suite ÷ replay')]).toBe('1.25');
    expect(b![TABLE_HEAD.indexOf('overhead ratio')]).toBe('–');
    expect(b!.at(-1)).toMatch(/no.*1 not passed, 2 left/);
  });

  test('targets: 0 ms under 5 s, ratio under 1.5 at 50 ms, workflow walls per latency', () => {
    const rows = [
      { ...row({ latencyMs: 0, wallMs: 3000 }), reqPerSec: 0, idealMs: 0, overheadRatio: null, cpuMs: 0, warmupMs: 0 },
      {
        ...row({ wallMs: 14_000, requests: 2000 }),
        reqPerSec: 0,
        idealMs: 12_500,
        overheadRatio: 1.12,
        cpuMs: 0,
        warmupMs: 0,
      },
      {
        ...row({ label: '8 workflows', checks: 8, wallMs: 320 }),
        reqPerSec: 0,
        idealMs: 300,
        overheadRatio: 1.07,
        cpuMs: 0,
        warmupMs: 0,
      },
    ];
    const t = benchTargets(rows);
    expect(t.fullSuite0msUnder5s).toBe(true);
    expect(t.overheadUnder1_5At50ms).toBe(true);
    expect(t.workflowScaling.find((s) => s.latencyMs === 50)!.walls).toEqual([{ workflows: 8, wallMs: 320 }]);
    expect(benchTargets([{ ...rows[1]!, overheadRatio: 1.6 }]).overheadUnder1_5At50ms).toBe(false);
  });
});

describe('README section', () => {
  test('replaces only the text between the markers', () => {
    const readme = `# Title\n\nintro\n\n## Performance\n\n${README_START}\nold\n${README_END}\n\n## After\n\ntail\n`;
    const out = replaceMarked(readme, 'new table');
    expect(out).toBe(
      `# Title\n\nintro\n\n## Performance\n\n${README_START}\nnew table\n${README_END}\n\n## After\n\ntail\n`,
    );
    expect(replaceMarked(out, 'new table')).toBe(out);
  });

  test('appends a Performance section holding the markers when they are missing', () => {
    expect(replaceMarked('# Title\n', 'x')).toBe(`# Title\n\n## Performance\n\n${README_START}\nx\n${README_END}\n`);
    expect(replaceMarked('', 'x')).toBe(`## Performance\n\n${README_START}\nx\n${README_END}\n`);
  });

  test('says what each figure includes, and shows the end-to-end run apart', () => {
    const report: BenchReport = {
      generatedAt: '2026-11-25T00:00:00Z',
      machine: { node: 'v20', cpus: 2, cpu: 'x', loadavgAtStart: [0.1, 0.2, 0.3] },
      seed: 1,
      rows: [],
      e2e: [
        {
          latencyMs: 0,
          concurrency: 8,
          wallMs: 8_000,
          requests: 2_300,
          residue: 0,
          phases: { start: 2_000, checks: 3_500, cleanup: 10, summaries: 90, report: 2_000 },
          processMs: 7_600,
          replayMs: 1_000,
          replayRatio: 8,
          exitCode: 0,
          checks: 510,
          verdict: 'CONFORMANT',
        },
      ],
      targets: { workflowScaling: [] },
    };
    const s = readmeSection(report, undefined);
    expect(s).toMatch(/ideal\*\* = requests × latency ÷ concurrency/);
    expect(s).toMatch(
      /end to end at 0 ms, npm run conformance .*: 8\.00 s, 2300 requests, 510 checks, verdict CONFORMANT/,
    );
    expect(s).toMatch(/8\.0 × the undici replay \(1\.00 s\)/);
    // the phases, in order, and the launcher as the rest of the wall
    expect(s).toContain(
      '| 0 ms | 8 | 8.00 s | 2300 | 2.00 s | 3.50 s | 0.01 s | 0.09 s | 2.00 s | 0.40 s | 1.00 s | 8.0 |',
    );
  });
});

describe('arguments', () => {
  test('npm run bench', () => {
    expect(parseBenchArgs([])).toMatchObject({
      latencies: [0, 5, 50],
      workflows: [1, 8, 32],
      concurrency: [8],
      replay: true,
      e2e: true,
    });
    expect(
      parseBenchArgs(['--latency', '0,50', '--workflows=1,4', '--no-e2e', '--readme'], {
        CUSTOMER_API_CONCURRENCY: '4',
      }),
    ).toMatchObject({ latencies: [0, 50], workflows: [1, 4], concurrency: [4], e2e: false, readme: true });
    expect(parseBenchArgs(['--soak', '500']).soak).toBe(500);
    expect(parseBenchArgs(['--readme', '--no-run'])).toMatchObject({ readme: true, noRun: true });
    expect(() => parseBenchArgs(['--no-run'])).toThrow(/goes with --readme/);
    expect(() => parseBenchArgs(['--latency', 'fast'])).toThrow(/--latency needs/);
    expect(() => parseBenchArgs(['--bogus'])).toThrow(/unknown option/);
  });

  test('npm run conformance -- --repeat N', () => {
    expect(parseArgs(['--repeat', '500']).selection.repeat).toBe(500);
    expect(parseArgs(['--repeat=3', '--only', 'workflow']).selection).toEqual({
      repeat: 3,
      only: ['workflow'],
      onlyText: 'workflow',
    });
    for (const bad of [['--repeat'], ['--repeat', '0'], ['--repeat', 'x']])
      expect(() => parseArgs(bad)).toThrow(/--repeat needs/);
  });
});

describe('--repeat', () => {
  const checks = allChecks({ languages: undefined, readOnlyCustomerId: undefined, readings: ALL_READINGS });
  test('repeats only the workflow checks, each under its own name and so its own seed', () => {
    const r = withRepeats(checks, 4);
    const wf = r.filter((c) => c.feature === 'Workflow');
    expect(wf.map((c) => c.name.slice(-13))).toEqual(
      ['(run 1 of 4)', '(run 2 of 4)', '(run 3 of 4)', '(run 4 of 4)'].map((s) => s.padStart(13)),
    );
    expect(new Set(wf.map((c) => hashSeed(1, checkTitle(c) + JSON.stringify(c.params ?? {})))).size).toBe(4);
    expect(r.filter((c) => c.feature !== 'Workflow')).toEqual(checks.filter((c) => c.feature !== 'Workflow'));
    expect(withRepeats(checks, 1)).toEqual(checks);
    expect(withRepeats(checks, undefined)).toEqual(checks);
  });
});

describe('clock ticks instead of sleeps', () => {
  const at = (s: string) => parseInstant(s)!;
  test('the tick a timestamp shows', () => {
    expect(tickMs(at('2026-11-25T13:00:00Z'))).toBe(1000);
    expect(tickMs(at('2026-11-25T13:00:00.123Z'))).toBe(1);
    expect(tickMs(at('2026-11-25T13:00:00.12Z'))).toBe(10);
    expect(tickMs(at('2026-11-25T13:00:00.123456+00:00'))).toBeCloseTo(0.001);
    expect(tickMs(at('20261125T130000,5Z'))).toBe(100);
  });

  test('waits only what is left of one tick since the value was seen, the finest tick shown', () => {
    const ms = at('2026-11-25T13:00:00.123Z');
    const s = at('2026-11-25T13:00:01Z');
    expect(msUntilClockTicks([ms], 100, 100.25)).toBeCloseTo(0.75);
    expect(msUntilClockTicks([ms], 100, 102)).toBe(0);
    expect(msUntilClockTicks([s], 0, 400)).toBe(600);
    expect(msUntilClockTicks([s, ms], 0, 0.5)).toBeCloseTo(0.5);
    expect(msUntilClockTicks([], 0, 0)).toBe(0);
  });
});

describe('bare-undici replay', () => {
  test('sends what the suite sent, gets the same statuses, and leaves nothing behind', async () => {
    const target = await startTarget();
    try {
      const cfg = embeddedConfig(target.url, { CONFORMANCE_SEED: '7' });
      const env = createRunEnv(cfg, { ledgerFile: null });
      // the workflow, an update check, an access check and a delete check: creates, ids in paths, other credentials
      const all = allChecks(cfg);
      const checks = [
        all.find((c) => c.feature === 'Workflow')!,
        ...['Update', 'Security', 'Delete', 'Get']
          .map((f) => all.find((c) => c.feature === f))
          .filter((c) => c !== undefined),
      ];
      const chains: Chain[] = checks.map(() => []);
      const recorder = (i: number): StepReporter => ({
        step: (_n, fn) => fn(),
        exchange: async (ex) => void chains[i]!.push(recordExchange(ex)),
      });
      const results = await runChecks(checks, env, { concurrency: 4, reporterFor: (_c, i) => recorder(i) });
      await env.http.close();
      expect(results.map((r) => r.status)).toEqual(checks.map(() => 'passed'));
      const sent = env.http.requests;
      expect(chains.flat()).toHaveLength(sent);
      expect(chains[0]!.map((r) => r.method)).toEqual(['POST', 'GET', 'POST', 'GET', 'DELETE', 'GET']);
      expect(chains[0]![0]!.headers['content-type']).toBe('application/json');
      expect(target.count()).toBe(0);

      const before = target.requests;
      const r = await replay(chains, { concurrency: 4 });
      expect(r).toMatchObject({ requests: sent, statusMismatches: 0, errors: 0 });
      expect(r.created).toBe(chains.flat().filter((x) => x.created).length);
      expect(target.requests - before).toBe(sent);
      expect(target.count()).toBe(0);
    } finally {
      await target.close();
    }
  });
});

describe('soak flatness', () => {
  const samples = (f: (i: number) => number) =>
    Array.from({ length: 20 }, (_, i) => ({ done: (i + 1) * 25, heapMb: f(i), rssMb: 100 }));
  test('flat heap passes; a heap that keeps every exchange (about 20 KB a workflow) does not', () => {
    expect(flatness(samples((i) => 40 + (i % 3) * 0.2)).flat).toBe(true);
    const leak = flatness(samples((i) => 40 + (i * 25 * 20_000) / 1024 / 1024));
    expect(leak.flat).toBe(false);
    expect(leak.bytesPerWorkflow).toBeGreaterThan(15_000);
  });
});
