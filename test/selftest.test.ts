// The suite's power, measured: it passes on every correct target and catches every defect in the
// catalogue, naming the contract id the defect breaks. Prints the kill matrix and the score.
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { formatFailure } from '../helpers/check.ts';
import { DEFECTS } from '../fixtures/target/defects.ts';
import { CONTRACT_IDS } from '../fixtures/statements.ts';
import { CORRECT_TARGETS, killMatrix, mutationTest, type MutationReport } from './mutation.ts';

let report: MutationReport;

beforeAll(async () => {
  report = await mutationTest();
}, 600_000);

afterAll(() => {
  if (!report) return;
  const md = killMatrix(report);
  mkdirSync('reports', { recursive: true });
  writeFileSync('reports/kill-matrix.md', md + '\n');
  process.stdout.write(`\n${md}\n\n`);
});

describe('correct targets pass', () => {
  test.each(CORRECT_TARGETS.map((c) => c.label))('%s: no check fails, nothing left behind', (label) => {
    const run = report.correct.find((c) => c.label === label)!;
    const bad = run.results.filter((r) => r.status === 'failed' || r.status === 'broken');
    expect(bad.map((r) => `${r.title}\n${r.reason ?? ''}${r.failures.map(formatFailure).join('\n')}`)).toEqual([]);
    expect(run.leftovers).toBe(0);
  });
});

describe('every defect is caught, naming the id it breaks', () => {
  test('the catalogue covers every contract id, 40 defects or more', () => {
    expect(DEFECTS.length).toBeGreaterThanOrEqual(40);
    expect(CONTRACT_IDS.filter((id) => !DEFECTS.some((d) => d.breaks === id))).toEqual([]);
  });

  test.each(DEFECTS.map((d) => [d.name, d.breaks] as const))('%s (breaks %s)', (name, breaks) => {
    const run = report.defects.find((d) => d.label === name)!;
    expect(run.failedIds, `the suite did not fail ${breaks} on defect ${name}`).toContain(breaks);
  });

  test('score', () => {
    expect({ caught: report.caught, falseAlarms: report.falseAlarms }).toEqual({ caught: DEFECTS.length, falseAlarms: 0 });
  });
});
