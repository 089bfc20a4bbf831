// The suite's power, measured: it passes on every correct target and catches every defect in the
// catalogue, naming the contract id the defect breaks. Prints the kill matrix and the score. Split in
// parts (one test file each) so the runs spread over the test workers.
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { formatFailure } from '../helpers/report/result.ts';
import { SUITE } from '../suites/suite.ts';
import { DEFECTS, defectByName } from '../fixtures/target/defects.ts';
import { CONTRACT_IDS } from '../fixtures/contract/statements.ts';
import {
  CORRECT_TARGETS,
  killMatrix,
  mutationTest,
  narrowingRuns,
  SEEDS,
  type MutationReport,
} from '../helpers/run/mutation.ts';
import { READING_POINTS } from '../fixtures/contract/readings.ts';

/** Part `part` (1-based) of `parts`: part 1 also runs the correct targets and checks the catalogue's coverage. */
export function selfTest(part: number, parts: number): void {
  const mine = DEFECTS.filter((_d, i) => i % parts === part - 1);
  let report: MutationReport;
  let narrowed: Awaited<ReturnType<typeof narrowingRuns>> = [];

  beforeAll(async () => {
    [report, narrowed] = await Promise.all([
      mutationTest(SUITE, { correct: part === 1, defects: mine.map((d) => d.name) }),
      part === 1 ? narrowingRuns(SUITE) : [],
    ]);
  }, 600_000);

  afterAll(() => {
    if (!report) return;
    const md = killMatrix(report);
    mkdirSync('reports', { recursive: true });
    writeFileSync(`reports/kill-matrix.${part}-of-${parts}.md`, md + '\n');
    process.stdout.write(`\nself-test part ${part} of ${parts}: ${md}\n\n`);
  });

  if (part === 1) {
    describe('correct targets pass, under every seed', () => {
      test.each(CORRECT_TARGETS.map((c) => c.label))('%s: no check fails, nothing left behind', (label) => {
        const run = report.correct.find((c) => c.label === label)!;
        expect(run.seeds.map((x) => x.seed)).toEqual([...SEEDS]);
        for (const x of run.seeds) {
          const bad = x.results.filter((r) => r.status === 'failed' || r.status === 'broken');
          expect(
            bad.map((r) => `seed ${x.seed}: ${r.title}\n${r.reason ?? ''}${r.failures.map(formatFailure).join('\n')}`),
          ).toEqual([]);
          expect(x.leftovers).toBe(0);
        }
      });
    });

    describe('a point narrowed to a reading the target does not take fails (every narrowed row can fail)', () => {
      test.each(READING_POINTS.map((p) => [p.id, p.statements.join(', ')] as const))('%s (fails one of %s)', (id) => {
        const run = narrowed.find((n) => n.point === id)!;
        const statements: readonly string[] = READING_POINTS.find((p) => p.id === id)!.statements;
        expect(
          run.failedIds.filter((f) => statements.includes(f)),
          `${run.label} on the other-readings target`,
        ).not.toEqual([]);
        expect(run.leftovers).toBe(0);
      });
    });

    test('the catalogue covers every contract id, 40 defects or more', () => {
      expect(DEFECTS.length).toBeGreaterThanOrEqual(40);
      expect(CONTRACT_IDS.filter((id) => !DEFECTS.some((d) => d.breaks === id))).toEqual([]);
    });
  }

  describe('every defect is caught, naming the id it breaks', () => {
    test.each(mine.map((d) => [d.name, d.breaks] as const))(
      '%s (breaks %s), the same verdicts under every seed',
      (name, breaks) => {
        const run = report.defects.find((d) => d.label === name)!;
        for (const x of run.seeds)
          expect(x.failedIds, `the suite did not fail ${breaks} on defect ${name} under seed ${x.seed}`).toContain(
            breaks,
          );
        // a race defect's other victims depend on timing, not on the seed: its own statement is what must hold
        if (!defectByName(name).racy)
          expect(run.seedDependent, `verdicts that depend on the seed on defect ${name}`).toEqual([]);
      },
    );

    test('score', () => {
      expect({ caught: report.caught, falseAlarms: report.falseAlarms }).toEqual({
        caught: mine.length,
        falseAlarms: 0,
      });
    });
  });
}
