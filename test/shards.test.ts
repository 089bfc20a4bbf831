// --shard I/N and npm run merge: two shards of a selection against a target with one defect, merged, give
// the verdict, check counts and per-statement verdicts of one unsharded run; every selected check is in
// exactly one shard; shards that are not of one run are refused in one line.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTarget, type RunningTarget } from '../fixtures/target/server.ts';
import { main as merge } from '../bin/merge.ts';
import { shardBins } from '../helpers/run/shard.ts';
import { checkTitle } from '../helpers/report/result.ts';
import { SUITE } from '../suites/suite.ts';
import { ALL_READINGS } from '../fixtures/contract/readings.ts';
import { expectOneLine, inProcess, remoteEnv, runCli, type CliRun } from './support/cli.ts';

type Json = Record<string, never> & {
  overall: string;
  checks: Record<string, number>;
  ids: { id: string; verdict: string; checks: number; passedChecks: number; failedChecks: number }[];
  shard?: { index: number; count: number; checks: string[] };
};
const json = (dir: string) => JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) as Json;
const perStatement = (j: Json) => j.ids.map((v) => [v.id, v.verdict, v.checks, v.passedChecks, v.failedChecks]);

async function mergeIn(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const sink = () => {
    const s = { text: '', write: (c: string) => ((s.text += c), true) };
    return s;
  };
  const [out, err] = [sink(), sink()];
  const code = await merge(args, { CI: 'false' }, out as never, err as never);
  return { code, stdout: out.text, stderr: err.text };
}

describe('shards merged equal one run', () => {
  let target: RunningTarget;
  let shards: CliRun[];
  let whole: CliRun;
  const out = mkdtempSync(join(tmpdir(), 'conformance-merged-'));

  beforeAll(async () => {
    target = await startTarget({ defect: 'get-unknown-500' });
    const env = remoteEnv(target.url);
    const only = ['--only', 'get,delete'];
    [whole, ...shards] = await Promise.all([
      runCli(only, env),
      runCli([...only, '--shard', '1/2'], env),
      runCli([...only, '--shard', '2/2'], env),
    ]);
  }, 180_000);

  afterAll(async () => {
    await target?.close();
  });

  test('each shard is its own run over its part; together every selected check exactly once', () => {
    expect(whole.code, whole.stderr).toBe(1);
    const parts = shards.map((s) => json(s.reports).shard);
    expect(
      parts.map((p) => p && [p.index, p.count]),
      'the shard record (needs recordShard in writeReports)',
    ).toEqual([
      [1, 2],
      [2, 2],
    ]);
    const all = parts.flatMap((p) => p!.checks).sort();
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe(json(whole.reports).checks.total);
    expect(shards[0]!.stdout).not.toContain(shards[1]!.stdout.match(/run (\w+)/)![1]);
  });

  test('merged: the verdict, counts and per-statement verdicts of the unsharded run', async () => {
    const r = await mergeIn(['--out', out, ...shards.map((s) => s.reports)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const [m, w] = [json(out), json(whole.reports)];
    expect(m.overall).toBe(w.overall);
    expect(m.checks).toEqual(w.checks);
    expect(perStatement(m)).toEqual(perStatement(w));
    const tests = (dir: string) =>
      /<testsuites [^>]*tests="(\d+)" failures="(\d+)"/.exec(readFileSync(join(dir, 'junit.xml'), 'utf8'))!.slice(1);
    expect(tests(out)).toEqual(tests(whole.reports));
    expect(readFileSync(join(out, 'certificate.md'), 'utf8')).toContain(`Verdict: **${w.overall}**`);
  });

  test('a report Allure cannot render: the verdict still, and why there is no HTML, on one line', async () => {
    const taken = mkdtempSync(join(tmpdir(), 'conformance-merged-'));
    // the report's history is taken by a folder
    mkdirSync(join(taken, 'allure-history.jsonl'));
    const r = await mergeIn(['--out', taken, ...shards.map((s) => s.reports)]);
    expect(r.code).toBe(1);
    // Allure's own reason, not a guess at it
    expect(r.stdout).toMatch(/^reports: .* · Allure HTML not rendered \(EISDIR[^\n]*\)\n$/m);
    expect(json(taken).overall).toBe(json(whole.reports).overall);
  });

  test('refused in one line, exit 2: a missing, a duplicate index, another selection', async () => {
    const [a, b] = shards.map((s) => s.reports) as [string, string];
    expectOneLine(await mergeIn(['--out', out, a]), /^merge: shard\(s\) 2\/2 missing$/);
    expectOneLine(await mergeIn(['--out', out, a, a, b]), /both shard 1\/2/);
    const other = mkdtempSync(join(tmpdir(), 'conformance-other-'));
    cpSync(b, other, { recursive: true });
    const j = json(other) as unknown as { shard: { selection: string } };
    j.shard.selection = 'another';
    writeFileSync(join(other, 'conformance.json'), JSON.stringify(j));
    expectOneLine(await mergeIn(['--out', out, a, other]), /different selections/);
  });
});

test('the bins hold every check of the whole suite exactly once, the same way each time', () => {
  const cfg = { languages: undefined, readOnlyCustomerId: undefined, readings: ALL_READINGS };
  const titles = SUITE.checks(cfg).map(checkTitle);
  const bins = shardBins(SUITE.checks(cfg), 3);
  expect(bins.flat().sort()).toEqual([...new Set(titles)].sort());
  expect(shardBins(SUITE.checks(cfg), 3)).toEqual(bins);
});

test("a group shares a bin: the run's two parts keep the concurrency checks together and stay balanced", () => {
  const cfg = { languages: undefined, readOnlyCustomerId: undefined, readings: ALL_READINGS };
  const checks = SUITE.checks(cfg);
  const conc = checks.filter((c) => c.feature === 'Concurrency').map(checkTitle);
  const parts = shardBins(checks, 2, (c) => (c.feature === 'Concurrency' ? 'Concurrency' : checkTitle(c)));
  expect(conc.length).toBeGreaterThan(1);
  expect(parts.filter((p) => conc.some((t) => p.includes(t)))).toHaveLength(1);
  expect(parts.flat().sort()).toEqual([...new Set(checks.map(checkTitle))].sort());
  const [a, b] = parts.map((p) => p.length);
  expect(Math.abs(a! - b!) / (a! + b!)).toBeLessThan(0.2);
});

test('a bad --shard is exit 2 in one line', async () => {
  expectOneLine(await inProcess(['--shard', '3/2'], {}), /--shard needs I\/N/);
});
