// A gate against a baseline: statements failing in an accepted run's conformance.json and still failing are
// known (reported, not gating), only a regression exits 1; --fail-on-incomplete; npm run compare.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { compare } from '../bin/compare.ts';
import { compareVerdicts } from '../helpers/report/baseline.ts';
import { startTarget, type RunningTarget } from '../fixtures/target/server.ts';
import { expectOneLine, inProcess, remoteEnv, ROOT, runCli, type CliRun } from './support/cli.ts';

// CUS-DEL-404 fails on the first target; on the second CUS-GET-404 fails too (its unknown ids answer 200, which
// also breaks the delete check's confirming get): one known failure and one new
const ONLY = ['--only', 'CUS-DEL-404,CUS-GET-404'];
const json = (f: string) => JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>;

describe('--baseline', () => {
  let known: RunningTarget;
  let other: RunningTarget;
  let good: RunningTarget;
  let base: CliRun;
  let same: CliRun;
  let regressed: CliRun;
  let drifted: CliRun;
  let incomplete: CliRun;
  let baseline: string;
  let tmp: string;

  beforeAll(async () => {
    [known, other, good] = await Promise.all([
      startTarget({ defect: 'delete-unknown-204' }),
      startTarget({ defect: 'get-unknown-200-empty' }),
      startTarget(),
    ]);
    base = await runCli(ONLY, remoteEnv(known.url));
    tmp = mkdtempSync(join(tmpdir(), 'conformance-baseline-'));
    baseline = join(tmp, 'accepted.json');
    writeFileSync(baseline, readFileSync(join(base.reports, 'conformance.json')));
    // the same baseline, as if judged against another version of the contract
    const old = json(baseline) as { contract: { version: string } };
    old.contract.version = '1.16.0';
    writeFileSync(join(tmp, 'older-contract.json'), JSON.stringify(old));
    [same, regressed] = await Promise.all([
      runCli([...ONLY, '--baseline', baseline], remoteEnv(known.url)),
      runCli([...ONLY, '--baseline', baseline], remoteEnv(other.url)),
    ]);
    [drifted, incomplete] = await Promise.all([
      runCli([...ONLY, '--baseline', join(tmp, 'older-contract.json')], remoteEnv(known.url)),
      // no other-entity keys: the statements they verify are not verified
      runCli(['--only', 'CUS-GET-403', '--fail-on-incomplete'], remoteEnv(good.url, false)),
    ]);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([known?.close(), other?.close(), good?.close()]);
  });

  test('the baseline run itself fails on its one defect', () => {
    expect(base.code, base.stderr).toBe(1);
    const ids = (json(join(base.reports, 'conformance.json')) as { ids: { id: string; verdict: string }[] }).ids;
    expect(ids.find((v) => v.id === 'CUS-DEL-404')?.verdict).toBe('failed');
    expect(ids.find((v) => v.id === 'CUS-GET-404')?.verdict).toBe('passed');
    expect(json(join(base.reports, 'conformance.json')).contract).toMatchObject({ name: 'Customer API' });
  });

  test('a known failure gates nothing: exit 0, NOT CONFORMANT with no regression against the baseline', () => {
    expect(same.stderr).toBe('');
    expect(same.code).toBe(0);
    expect(same.stdout).toMatch(/Verdict: NOT CONFORMANT, no regression against the baseline/);
    expect(same.stdout).toMatch(/known \(not gating\)\s+CUS-DEL-404/);
    expect(same.stdout).toMatch(/regressions\s+none/);
    const md = readFileSync(join(same.reports, 'conformance.md'), 'utf8');
    expect(md).toMatch(/### Known nonconformances[^\n]*\(1\)\n\n- CUS-DEL-404/);
    const cert = json(join(same.reports, 'certificate.json'));
    expect(cert.baseline).toMatchObject({ file: baseline, regressions: [], known: ['CUS-DEL-404'], fixed: [] });
    expect(readFileSync(join(same.reports, 'certificate.md'), 'utf8')).toContain(
      `Baseline: ${baseline}: no regression against the baseline`,
    );
  });

  test('a new failure is a regression: exit 1 naming only it; the old one stays known', () => {
    expect(regressed.code, regressed.stderr).toBe(1);
    expect(regressed.stderr.trim()).toBe('conformance: 1 regression(s) against the baseline: CUS-GET-404');
    expect(regressed.stdout).toMatch(/Verdict: NOT CONFORMANT, 1 regression against the baseline \(CUS-GET-404\)/);
    expect(regressed.stdout).toMatch(/known \(not gating\)\s+CUS-DEL-404/);
    const rec = json(join(regressed.reports, 'conformance.json')).baseline;
    expect(rec).toMatchObject({ regressions: ['CUS-GET-404'], known: ['CUS-DEL-404'], fixed: [] });
    const cert = readFileSync(join(regressed.reports, 'certificate.md'), 'utf8');
    expect(cert).toMatch(/### Regressions[^\n]*\(1\)\n\n- CUS-GET-404\n/);
    expect(cert).toMatch(/### Known nonconformances[^\n]*\(1\)\n\n- CUS-DEL-404\n/);
    expect(cert).toMatch(/### Fixed since the baseline \(0\)\n\n- none\n/);
  });

  test('a baseline of another contract version is named in one warning line; the run goes on', () => {
    expect(drifted.code, drifted.stderr).toBe(0);
    const lines = drifted.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^conformance: warning: the baseline .*older-contract\.json .*another contract/);
    expect(lines[0]).toContain('Customer API 1.16.0, this run Customer API 1.17.0');
  });

  test('--fail-on-incomplete: an INCOMPLETE verdict exits 1 and says why', () => {
    expect(incomplete.stdout).toMatch(/Verdict: INCOMPLETE/);
    expect(incomplete.code, incomplete.stderr).toBe(1);
    expect(incomplete.stderr).toMatch(/^conformance: INCOMPLETE and --fail-on-incomplete: \d+ statement\(s\)/);
    expect(incomplete.stderr).toContain('CUS-GET-403');
  });

  test('npm run compare: regressions, fixes and not-verified changes, one line each; exit 1 on a regression', () => {
    const said = (argv: string[]) => {
      const r = { out: [] as string[], err: [] as string[], code: -1 };
      r.code = compare(argv, { say: (l) => r.out.push(l), fail: (l) => r.err.push(l) });
      return r;
    };
    const now = join(regressed.reports, 'conformance.json');
    const worse = said([baseline, now]);
    expect(worse.code).toBe(1);
    const regressions = (r: { out: string[] }) => r.out.filter((l) => l.startsWith('regression'));
    expect(regressions(worse)).toEqual(['regression    CUS-GET-404: passed → failed']);
    expect(worse.out).toHaveLength(2);
    expect(worse.out.at(-1)).toBe('1 regression(s), 0 fixed, 0 not-verified change(s); 1 failing in both (known)');
    const better = said([now, baseline]);
    expect(better.code).toBe(0);
    expect(better.out, better.out.join('\n')).toEqual([
      'fixed         CUS-GET-404: failed → passed',
      '0 regression(s), 1 fixed, 0 not-verified change(s); 1 failing in both (known)',
    ]);
    expect(better.err).toEqual([]);
    expect(said([baseline, baseline]).code).toBe(0);
    // the comparison as --baseline runs it: failing in both is known, not verified changes are named apart
    const c = compareVerdicts(
      [
        { id: 'A', verdict: 'failed' },
        { id: 'B', verdict: 'passed' },
        { id: 'C', verdict: 'not verified' },
      ],
      [
        { id: 'A', verdict: 'failed' },
        { id: 'B', verdict: 'not verified' },
        { id: 'C', verdict: 'failed' },
        { id: 'D', verdict: 'failed' },
      ],
    );
    expect(c.known.map((x) => x.id)).toEqual(['A']);
    expect(c.regressions.map((x) => x.id)).toEqual(['C', 'D']);
    expect(c.notVerified.map((x) => `${x.id}:${x.from}→${x.to}`)).toEqual(['B:passed→not verified']);
  });

  test('npm run compare: bad input is one line and exit 2, no stack trace', () => {
    const run = (args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'bin/compare.ts', ...args], { cwd: ROOT, encoding: 'utf8' });
    const notJson = join(tmp, 'not.json');
    writeFileSync(notJson, '{"hello": 1}');
    for (const [args, re] of [
      [[baseline, join(tmp, 'missing.json')], /^compare: .*missing\.json: no such file; name the reports\//],
      [[notJson, baseline], /^compare: .*not\.json is not a conformance\.json/],
      [[baseline], /^compare: name two conformance\.json files/],
      [['--nope'], /^compare: unknown option --nope; see npm run compare -- --help$/],
    ] as const) {
      const r = run([...args]);
      expectOneLine({ code: r.status, stdout: r.stdout, stderr: r.stderr }, re);
    }
    const help = run(['--help']);
    expect([help.status, help.stdout]).toEqual([0, expect.stringContaining('usage: npm run compare -- OLD.json')]);
  });

  test('a baseline that is missing or not a conformance.json refuses before anything starts: exit 2', async () => {
    const env = remoteEnv(good.url);
    expectOneLine(
      await inProcess(['--baseline', join(tmp, 'missing.json')], env),
      /^conformance: --baseline .*missing\.json: no such file; name the reports\/conformance\.json/,
    );
    const junit = join(tmp, 'junit.xml');
    writeFileSync(junit, '<testsuites/>');
    expectOneLine(await inProcess(['--baseline', junit], env), /junit\.xml is not JSON, so not a conformance\.json/);
  });
});
