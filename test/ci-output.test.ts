// What a CI log and a CI system get: progress lines without a terminal (plain, every 10 s), NO_COLOR and
// FORCE_COLOR, junit.xml with the check's feature, the not-verified reason and the run's properties, and
// the GitHub step summary.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { startTarget, type RunningTarget } from '../fixtures/target/server.ts';
import { withJunitProperties } from '../helpers/report/junit-properties.ts';
import { Progress } from '../helpers/report/progress.ts';
import type { CheckResult } from '../helpers/report/result.ts';
import { colourWanted, paint, type RunInfo } from '../helpers/report/summary.ts';
import { remoteEnv, runCli, type CliRun } from './support/cli.ts';

const ESC = '\x1b[';

describe('progress without a terminal', () => {
  test('a plain line every 10 s, none in between, no escape codes', () => {
    vi.useFakeTimers();
    try {
      let text = '';
      const out = { isTTY: false, write: (s: string) => ((text += s), true) } as unknown as NodeJS.WriteStream;
      const progress = new Progress(3, out, paint(false));
      progress.add({ status: 'passed' } as CheckResult);
      progress.add({ status: 'broken' } as CheckResult);
      vi.advanceTimersByTime(9_999);
      expect(text).toBe('');
      vi.advanceTimersByTime(1);
      expect(text).toBe('  checks 2/3 · 0 failed · 1 broken · 0 not verified\n');
      progress.add({ status: 'failed' } as CheckResult);
      vi.advanceTimersByTime(10_000);
      expect(text.split('\n')[1]).toBe('  checks 3/3 · 1 failed · 1 broken · 0 not verified');
      progress.end();
      vi.advanceTimersByTime(60_000);
      expect(text.split('\n')).toHaveLength(3);
      expect(text).not.toContain('\r');
      expect(text).not.toContain(ESC);
    } finally {
      vi.useRealTimers();
    }
  });

  test('NO_COLOR turns colour off, FORCE_COLOR (not 0) on, whatever the stream', () => {
    expect(colourWanted(true, {})).toBe(true);
    expect(colourWanted(false, {})).toBe(false);
    expect(colourWanted(true, { NO_COLOR: '1' })).toBe(false);
    expect(colourWanted(true, { NO_COLOR: '' })).toBe(true);
    expect(colourWanted(false, { FORCE_COLOR: '1' })).toBe(true);
    expect(colourWanted(false, { FORCE_COLOR: '0' })).toBe(false);
    expect(colourWanted(true, { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false);
  });
});

describe('junit.xml post-processing', () => {
  const info = { target: 'http://t"<&>', suiteVersion: '1.2.3', seed: 7, runId: 'r1' } as RunInfo;
  const xml = [
    '<?xml version="1.0" encoding="UTF-8" ?>',
    '<testsuites name="x" tests="1" failures="0" errors="0" time="0">',
    '<testsuite name="suites/get.test.ts" tests="1" failures="0" errors="0" skipped="1" time="0">',
    '<testcase classname="suites/get.test.ts" name="Get: part &gt; a &quot;b&quot; &lt;c&gt;" time="0">',
    '<skipped/>',
    '</testcase>',
    '</testsuite>',
    '</testsuites>',
  ].join('\n');
  const result = {
    ids: [],
    verified: [],
    failures: [],
    title: 'a "b" <c>',
    feature: 'Get',
    status: 'not-verified',
    reason: 'no key\x1b[31m "x" & <y>',
  };

  test('classname, skipped message and properties, escaped and valid', () => {
    const out = withJunitProperties(xml, info, [result as unknown as CheckResult]);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(out);
    const suite = doc.testsuites.testsuite;
    expect(suite.testcase.classname).toBe('Get');
    expect(suite.testcase.skipped.message).toBe('not verified: no key\\u001b[31m "x" & <y>');
    const props = Object.fromEntries(
      (suite.properties.property as { name: string; value: string }[]).map((p) => [p.name, p.value]),
    );
    expect(props).toMatchObject({ target: 'http://t"<&>', seed: '7', 'suite version': '1.2.3' });
    expect(props.verdict).toMatch(/CONFORMANT|INCOMPLETE/);
    expect(out).not.toContain('\x1b');
  });

  test('one <testsuite> per feature, whichever part ran its checks; an empty part says nothing', () => {
    const tc = (file: string, feature: string, title: string, body = '') =>
      `<testcase classname="${file}" name="${feature} &gt; ${title}" time="0.25">${body}</testcase>`;
    const suite = (file: string, cases: string[]) =>
      `<testsuite name="${file}" tests="${cases.length}" failures="0" errors="0" skipped="0" time="1">\n` +
      `${cases.join('\n')}\n</testsuite>`;
    const parts = [
      '<?xml version="1.0" encoding="UTF-8" ?>',
      '<testsuites name="Customer API conformance" tests="5" failures="1" errors="0" time="2">',
      suite('suites/part-1.test.ts', [
        tc('suites/part-1.test.ts', 'Get', 'g1'),
        tc('suites/part-1.test.ts', 'Update', 'u1'),
      ]),
      suite('suites/part-2.test.ts', [
        tc('suites/part-2.test.ts', 'Update', 'u2', '<failure message="x"/>'),
        '<testcase classname="suites/part-2.test.ts" name="no checks selected in part 2 of 2" time="0">' +
          '<skipped/></testcase>',
      ]),
      '</testsuites>',
    ].join('\n');
    const out = withJunitProperties(parts, info, []);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(out);
    const suites = doc.testsuites.testsuite as { name: string; tests: string; failures: string; time: string }[];
    expect(suites.map((x) => [x.name, x.tests, x.failures, x.time])).toEqual([
      ['Get', '1', '0', '0.25'],
      ['Update', '2', '1', '0.5'],
    ]);
    expect(doc.testsuites.name).toBe('Customer API conformance');
    expect(out).not.toContain('no checks selected');
  });
});

describe('a CI run', () => {
  let target: RunningTarget;
  let plain: CliRun;
  let forced: CliRun;
  let stepFile: string;

  beforeAll(async () => {
    target = await startTarget();
    stepFile = join(mkdtempSync(join(tmpdir(), 'conformance-step-')), 'summary.md');
    writeFileSync(stepFile, 'before\n');
    [plain, forced] = await Promise.all([
      // no other-entity keys: some checks are not verified, with a reason
      runCli(['--only', 'workflow,auth'], { ...remoteEnv(target.url, false), GITHUB_STEP_SUMMARY: stepFile }),
      runCli(['--only', 'smoke'], { ...remoteEnv(target.url), NO_COLOR: '', FORCE_COLOR: '1' }),
    ]);
  }, 180_000);
  afterAll(async () => {
    await target?.close();
  });

  test('without a terminal: no live line, no escape codes; FORCE_COLOR colours anyway', () => {
    expect(plain.code, plain.stderr + plain.stdout).toBe(0);
    expect(plain.stdout).not.toContain('\r');
    expect(plain.stdout).not.toContain(ESC);
    for (const l of plain.stdout.split('\n').filter((x) => x.trimStart().startsWith('checks ')))
      expect(l).toMatch(/^ {2}checks \d+\/\d+ · \d+ failed · \d+ broken · \d+ not verified$/);
    expect(forced.code, forced.stderr + forced.stdout).toBe(0);
    expect(forced.stdout).toContain(ESC);
    expect(forced.stdout).not.toContain('\r');
  });

  test('junit.xml: the feature as classname, the reason of a skipped check, the run properties', () => {
    const xml = readFileSync(join(plain.reports, 'junit.xml'), 'utf8');
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
    const suites = [doc.testsuites.testsuite].flat();
    const cases = suites.flatMap((s: { testcase: unknown }) => [s.testcase].flat()) as Record<string, unknown>[];
    expect(cases.some((c) => c.classname === 'Workflow')).toBe(true);
    expect(cases.every((c) => !String(c.classname).endsWith('.ts'))).toBe(true);
    const skipped = cases.filter((c) => c.skipped !== undefined);
    expect(skipped.length).toBeGreaterThan(0);
    const messages = skipped.map((c) => (c.skipped as { message?: string }).message);
    expect(messages.filter((m) => /^not verified: ./.test(m ?? '')).length).toBeGreaterThan(0);
    expect(messages.filter((m) => !/^not verified: .|^no \w+ checks selected$/.test(m ?? ''))).toEqual([]);
    const props = [suites[0].properties.property].flat() as { name: string; value: string }[];
    expect(props.map((p) => p.name)).toEqual(expect.arrayContaining(['target', 'seed', 'verdict', 'suite version']));
    expect(props.find((p) => p.name === 'target')?.value).toContain(target.url);
  });

  test('GITHUB_STEP_SUMMARY: the verdict and the statement table appended', () => {
    const md = readFileSync(stepFile, 'utf8');
    expect(md.startsWith('before\n')).toBe(true);
    expect(md).toMatch(/## Customer API conformance: .* (CONFORMANT|INCOMPLETE)/);
    expect(md).toContain('| id | origin | verdict |');
    expect(md).toContain('not verified');
  });
});
