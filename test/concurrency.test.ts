// The concurrency checks on targets that are not the product's fault: a rate limit on bursts is not a
// nonconformance (not verified, naming the setting that lowers the burst), and the burst can be turned down
// or off.
import { describe, expect, test } from 'vitest';
import { runAgainst } from '../helpers/run/mutation.ts';
import type { CheckInfo } from '../helpers/report/result.ts';
import { SUITE } from '../suites/suite.ts';

const only = (c: CheckInfo) => c.tags.includes('concurrency');
const once = { seeds: [7], only };

describe('concurrency checks', () => {
  test(
    'a target limiting the rate (429 to every update, also when tried again): ' + 'not verified, not failed',
    async () => {
      const fault = {
        kind: 'status429' as const,
        method: 'POST',
        path: 'item' as const,
        times: 1_000_000,
        retryAfterSec: 0,
      };
      const run = await runAgainst(SUITE, '429', { fault }, {}, undefined, once);
      const limited = run.results.filter((r) => r.ids.includes('CUS-CONC-UPDATE') || r.ids.includes('CUS-CONC-DELETE'));
      expect(limited.map((r) => r.status)).toEqual(['not-verified', 'not-verified']);
      for (const r of limited) expect(r.reason).toMatch(/limited the burst .*CUSTOMER_API_CONCURRENCY_BURST/);
      // nothing is blamed on the product (a lone update limited breaks its check on the environment)
      expect(run.results.filter((r) => r.status === 'failed' || r.cause === 'product')).toEqual([]);
      expect(run.leftovers).toBe(0);
    },
  );

  test('CUSTOMER_API_CONCURRENCY_BURST=0 turns them off; 2 still judges', async () => {
    const [off, two] = await Promise.all([
      runAgainst(SUITE, 'off', {}, { CUSTOMER_API_CONCURRENCY_BURST: '0' }, undefined, once),
      runAgainst(
        SUITE,
        'two',
        { defect: 'slow-update-resurrects' },
        { CUSTOMER_API_CONCURRENCY_BURST: '2' },
        undefined,
        once,
      ),
    ]);
    expect(off.results.map((r) => [r.status, r.reason])).toEqual(
      off.results.map(() => ['not-verified', 'CUSTOMER_API_CONCURRENCY_BURST=0 turns the concurrency checks off']),
    );
    expect(two.failedIds).toEqual(['CUS-CONC-DELETE']);
  });
});
