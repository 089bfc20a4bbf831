// Spare customers: a check whose request a conforming target refuses hands its customer on once it has seen
// it unchanged; the next such check reads it first and shows the create it came from (its evidence and its
// reproduction). A check that finds a fault keeps its customer and deletes it; nothing is left either way.
import { describe, expect, test } from 'vitest';
import { startTarget } from '../fixtures/target/server.ts';
import { createRunEnv, embeddedConfig } from '../helpers/run/run-env.ts';
import { runChecks } from '../suites/model/run-checks.ts';
import { allChecks } from '../suites/registry.ts';

const REFUSED = [
  'email_address as a JSON array gets 400',
  'email_address = "a@@example.com" (not a valid email) gets 400',
  'email_address as a JSON object gets 400',
];

/** The refused-update checks above, one after another, against the reference target with `defect`. */
async function refusals(defect?: string) {
  const target = await startTarget({ defect });
  try {
    const cfg = embeddedConfig(target.url, { CONFORMANCE_SEED: '7' });
    const env = createRunEnv(cfg, { ledgerFile: null });
    const checks = REFUSED.map((name) => allChecks(cfg).find((c) => c.feature === 'Update' && c.name === name)!);
    const results = await runChecks(checks, env, { concurrency: 1 });
    await env.http.close();
    return { results, served: target.requests, left: target.count() };
  } finally {
    await target.close();
  }
}

describe('spare customers for refused requests', () => {
  test('a correct target: one customer serves every check, each reading it first; deleted at the end', async () => {
    const run = await refusals();
    expect(run.results.map((r) => r.status)).toEqual(['passed', 'passed', 'passed']);
    // one create, a get, an update and a get per check, one delete: not a create and a delete per check
    expect(run.served).toBe(1 + 3 * 3 + 1);
    expect(run.results.map((r) => r.requests)).toEqual([4, 3, 3]);
    expect(run.left).toBe(0);
  });

  test('a refused update that changes the customer: no check hands it on, each creates and deletes one', async () => {
    const run = await refusals('rejected-update-touches-updated-at');
    expect(run.results.map((r) => r.status)).toEqual(['failed', 'failed', 'failed']);
    expect(run.results.map((r) => r.requests)).toEqual([5, 5, 5]);
    expect(run.left).toBe(0);
  });

  test('a check that takes a spare and fails: its reproduction replays the create it came from', async () => {
    const run = await refusals('invalid-email-accepted');
    expect(run.results.map((r) => r.status)).toEqual(['passed', 'failed', 'passed']);
    const failed = run.results[1]!;
    // taken from the first check, which created it; kept by the failed check and deleted with it
    expect(failed.requests).toBe(3);
    const replayed = failed.replay?.map((s) => `${s.method} ${s.status}`);
    expect(replayed).toEqual(['POST 200', 'GET 200', 'POST 200', 'DELETE 204']);
    expect(failed.replay?.[0]?.created).toMatch(/^[0-9a-f-]{36}$/);
    // the third check found no spare: it created its own, and handed it on (deleted when the checks ended)
    expect(run.results[2]!.requests).toBe(4);
    expect(run.left).toBe(0);
  });
});
