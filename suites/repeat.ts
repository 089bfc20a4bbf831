// Soak mode (`--repeat N`): the workflow checks registered N times, each under its own name, so each run
// has its own seed (data is seeded per check title), its own customers and its own report entry.
import type { Check } from './model/check.ts';

export const repeatedName = (name: string, run: number, of: number): string => `${name} (run ${run} of ${of})`;

/** The checks with every Workflow check repeated `n` times (n ≤ 1: unchanged), repeats in place of the original. */
export function withRepeats(checks: readonly Check[], n = 1): Check[] {
  if (!(n > 1)) return [...checks];
  return checks.flatMap((c) =>
    c.feature === 'Workflow'
      ? Array.from({ length: n }, (_, i): Check => ({ ...c, name: repeatedName(c.name, i + 1, n) }))
      : [c],
  );
}
