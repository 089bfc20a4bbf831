// A run whose checks did not all report: exit 2, and the line says why when the test runner knows.
import { describe, expect, test } from 'vitest';
import { exitCode, type RunEnd } from '../../helpers/run/exit-code.ts';

const end = (over: Partial<RunEnd>): RunEnd => ({
  stopCode: 2,
  unusableCreates: 0,
  timedOut: false,
  runTimeoutMs: 600_000,
  results: [],
  selected: 510,
  sweptDeleted: 0,
  overall: 'INCOMPLETE',
  ...over,
});

describe('checks that never reported', () => {
  test("the test runner's own error, as it said it (a worker that could not load)", () => {
    const [code, why] = exitCode(end({ runnerErrors: ['worker preload broke', 'Cannot find package "zod"'] }));
    expect([code, why]).toEqual([
      2,
      ['only 0 of 510 checks reported a result: worker preload broke; Cannot find package "zod"'],
    ]);
  });

  test('no error known: where to look', () => {
    expect(exitCode(end({}))).toEqual([2, ['only 0 of 510 checks reported a result; see reports/allure-report']]);
  });
});
