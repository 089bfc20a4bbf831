// The suite's power, measured: it passes on every correct target and catches every defect in the
// catalogue, naming the contract id the defect breaks. Prints the kill matrix and the score. Split in
// parts (one test file each) so the runs spread over the test workers.
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { formatFailure } from '../helpers/check.ts';
import { DEFECTS } from '../fixtures/target/defects.ts';
import { CONTRACT_IDS } from '../fixtures/statements.ts';
import { CORRECT_TARGETS, killMatrix, mutationTest, type MutationReport } from './mutation.ts';

/** Part `part` (1-based) of `parts`: part 1 also runs the correct targets and checks the catalogue's coverage. */
export function selfTest(part: number, parts: number): void {
  const mine = DEFECTS.filter((_d, i) => i % parts === part - 1);
  let report: MutationReport;

  beforeAll(async () => {
    report = await mutationTest({ correct: part === 1, defects: mine.map((d) => d.name) });
  }, 600_000);

  afterAll(() => {
    if (!report) return;
    const md = killMatrix(report);
    mkdirSync('reports', { recursive: true });
    writeFileSync(`reports/kill-matrix.${part}-of-${parts}.md`, md + '\n');
    process.stdout.write(`\nself-test part ${part} of ${parts}: ${md}\n\n`);
  });

  if (part === 1) {
    describe('correct targets pass', () => {
      test.each(CORRECT_TARGETS.map((c) => c.label))('%s: no check fails, nothing left behind', (label) => {
        const run = report.correct.find((c) => c.label === label)!;
        const bad = run.results.filter((r) => r.status === 'failed' || r.status === 'broken');
        expect(bad.map((r) => `${r.title}\n${r.reason ?? ''}${r.failures.map(formatFailure).join('\n')}`)).toEqual([]);
        expect(run.leftovers).toBe(0);
      });
    });

    test('the catalogue covers every contract id, 40 defects or more', () => {
      expect(DEFECTS.length).toBeGreaterThanOrEqual(40);
      expect(CONTRACT_IDS.filter((id) => !DEFECTS.some((d) => d.breaks === id))).toEqual([]);
    });
  }

  describe('every defect is caught, naming the id it breaks', () => {
    test.each(mine.map((d) => [d.name, d.breaks] as const))('%s (breaks %s)', (name, breaks) => {
      const run = report.defects.find((d) => d.label === name)!;
      expect(run.failedIds, `the suite did not fail ${breaks} on defect ${name}`).toContain(breaks);
    });

    test('score', () => {
      expect({ caught: report.caught, falseAlarms: report.falseAlarms }).toEqual({ caught: mine.length, falseAlarms: 0 });
    });
  });
}
