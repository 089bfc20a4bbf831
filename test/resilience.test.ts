// A misbehaving target never hangs the run, never gets a create sent twice blindly, and never keeps a
// customer the run created: for every fault mode of the embedded target (before or after it handled the
// request), the run ends in bounded time with the right verdict and the target holds zero customers after.
// A one-off fault breaks a check (the environment's, not the product's), which passes when tried again.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { CheckResult } from '../helpers/report/result.ts';
import { finishRun } from '../helpers/run/cleanup.ts';
import { startLedger } from '../helpers/run/ledger.ts';
import { createRunEnv, embeddedConfig, MARKER_PREFIX, newRunId } from '../helpers/run/run-env.ts';
import { runChecks } from '../suites/model/run-checks.ts';
import { startTarget, type FaultSpec } from '../fixtures/target/server.ts';
import { allChecks } from '../suites/registry.ts';

const ledgers = mkdtempSync(join(tmpdir(), 'conformance-resilience-'));
/** A cross-section of the suite: every operation, reads and writes, about 60 checks. */
const FEATURES = ['Workflow', 'Get', 'Delete', 'Timestamps', 'Errors'];

interface Outcome {
  results: CheckResult[];
  failures: string[];
  /** customers on the target after the run (checks' own cleanup and the end-of-run sweep) */
  left: number;
  /** customers on the target when the checks had ended, before the end-of-run sweep */
  leftByChecks: number;
  ms: number;
}

async function runWithFault(fault: FaultSpec | undefined, env: Record<string, string> = {}): Promise<Outcome> {
  const target = await startTarget({ fault });
  const t0 = performance.now();
  try {
    const cfg = embeddedConfig(target.url, {
      CONFORMANCE_SEED: '11',
      CUSTOMER_API_TIMEOUT_MS: '2000',
      CUSTOMER_API_CONCURRENCY: '16',
      ...env,
    });
    const runId = newRunId();
    const ledgerFile = join(ledgers, `${runId}.jsonl`);
    startLedger(ledgerFile, {
      runId,
      target: cfg.baseUrl + cfg.resourcePath,
      kind: 'embedded',
      entityId: cfg.main.entityId,
      markerField: cfg.markerField,
      marker: MARKER_PREFIX + runId,
    });
    const run = createRunEnv(cfg, { runId, ledgerFile });
    const checks = allChecks(cfg).filter((c) => FEATURES.includes(c.feature));
    const results = await runChecks(checks, run);
    await run.http.destroy();
    const leftByChecks = target.count();
    // what `npm run conformance` does at the end of every run
    await finishRun(cfg, { ledgerFile, marker: run.marker });
    return {
      results,
      failures: results.flatMap((r) =>
        r.failures.map((f) => f.actual).concat(r.status === 'broken' ? [r.reason ?? ''] : []),
      ),
      left: target.count(),
      leftByChecks,
      ms: performance.now() - t0,
    };
  } finally {
    await target.close();
  }
}

const bad = (o: Outcome) => o.results.filter((r) => r.status === 'failed' || r.status === 'broken');
/** Why each check that passed only when tried again broke the first time. */
const retried = (o: Outcome) => o.results.filter((r) => r.status === 'passed' && r.retried).map((r) => r.retried!);
const URL_RE = 'http://127\\.0\\.0\\.1:\\d+/v2/customer';

describe('fault modes: bounded time, the right verdict, zero customers left', () => {
  test('no fault: the cross-section passes (the baseline of the comparisons below)', async () => {
    const o = await runWithFault(undefined);
    expect(bad(o).map((r) => r.title)).toEqual([]);
    expect(o.left).toBe(0);
  });

  test(
    'dropped connections on creates (not handled): ' + 'each create is looked up, then retried; the run passes',
    async () => {
      const o = await runWithFault({ kind: 'drop', method: 'POST', path: 'collection', times: 3 });
      expect(bad(o).map((r) => r.title)).toEqual([]);
      expect(o.left).toBe(0);
    },
  );

  test(
    'dropped connections after the create was stored: ' +
      'found by marker, not created twice, deleted; each check passes when tried again',
    async () => {
      const o = await runWithFault({ kind: 'drop', method: 'POST', path: 'collection', times: 3, after: true });
      expect(bad(o)).toEqual([]);
      expect(retried(o)).toHaveLength(3);
      for (const r of retried(o))
        expect(r).toMatch(
          new RegExp(`connection closed by the target before a complete response \\(\\w+\\) to POST ${URL_RE}$`),
        );
      expect(o.left).toBe(0);
    },
  );

  test(
    'a target that hangs on every GET of a customer: ' +
      'each check breaks at the deadline (the environment, not the product), naming it and the request',
    async () => {
      const o = await runWithFault({ kind: 'hang', method: 'GET', path: 'item' }, { CUSTOMER_API_TIMEOUT_MS: '1000' });
      expect(o.ms).toBeLessThan(20_000);
      expect(bad(o).length).toBeGreaterThan(20);
      expect(bad(o).every((r) => r.status === 'broken' && r.cause === 'environment')).toBe(true);
      expect(
        o.failures.some((f) =>
          new RegExp(
            `^no complete response within 1000 ms \\(CUSTOMER_API_TIMEOUT_MS\\) to GET ${URL_RE}/[0-9a-f-]{36}$`,
          ).test(f),
        ),
      ).toBe(true);
      expect(o.left).toBe(0);
    },
  );

  test(
    'a target that stores a create and then never answers: ' +
      'the check passes when tried again, the customer is found and deleted',
    async () => {
      const o = await runWithFault(
        { kind: 'hang', method: 'POST', path: 'collection', times: 4, after: true },
        { CUSTOMER_API_TIMEOUT_MS: '1000' },
      );
      expect(o.ms).toBeLessThan(20_000);
      expect(bad(o)).toEqual([]);
      expect(retried(o)).toHaveLength(4);
      for (const r of retried(o))
        expect(r).toMatch(
          new RegExp(`^no complete response within 1000 ms \\(CUSTOMER_API_TIMEOUT_MS\\) to POST ${URL_RE}$`),
        );
      expect(o.left).toBe(0);
    },
  );

  test('deletes that time out: the ledger keeps the ids and the end of the run deletes them', async () => {
    const o = await runWithFault(
      { kind: 'hang', method: 'DELETE', path: 'item', times: 5 },
      { CUSTOMER_API_TIMEOUT_MS: '1000' },
    );
    expect(o.ms).toBeLessThan(20_000);
    expect(
      o.failures.every((f) => /^no complete response within 1000 ms \(CUSTOMER_API_TIMEOUT_MS\) to DELETE /.test(f)),
    ).toBe(true);
    expect(o.leftByChecks).toBeGreaterThan(0);
    expect(o.left).toBe(0);
  });

  test('429 with Retry-After on any request: honoured and retried; the run passes', async () => {
    const o = await runWithFault({ kind: 'status429', times: 6, retryAfterSec: 1 });
    expect(bad(o).map((r) => `${r.title}: ${r.failures.map((f) => f.actual).join('; ')}${r.reason ?? ''}`)).toEqual([]);
    expect(o.ms).toBeGreaterThan(1000);
    expect(o.left).toBe(0);
  });

  test('503 once: retried; the run passes', async () => {
    const o = await runWithFault({ kind: 'status503', times: 1, retryAfterSec: 0 });
    expect(bad(o).map((r) => r.title)).toEqual([]);
    expect(o.left).toBe(0);
  });

  test(
    '503 after the create was stored: ' +
      'looked up instead of repeated, so no duplicate; deleted; the check passes when tried again',
    async () => {
      const o = await runWithFault({
        kind: 'status503',
        method: 'POST',
        path: 'collection',
        times: 2,
        retryAfterSec: 0,
        after: true,
      });
      expect(bad(o)).toEqual([]);
      expect(retried(o)).toHaveLength(2);
      for (const r of retried(o)) expect(r).toMatch(/status 503/);
      expect(o.left).toBe(0);
    },
  );

  test(
    'answers cut off mid-body on every GET of a customer: ' +
      'retried, then failed naming the closed connection; no hang',
    async () => {
      const o = await runWithFault({ kind: 'truncate', method: 'GET', path: 'item' });
      expect(o.ms).toBeLessThan(20_000);
      expect(bad(o).length).toBeGreaterThan(20);
      expect(
        o.failures.some((f) =>
          new RegExp(`^connection closed by the target before a complete response \\(\\w+\\) to GET ${URL_RE}/`).test(
            f,
          ),
        ),
      ).toBe(true);
      expect(o.left).toBe(0);
    },
  );

  test(
    'the create answer cut off mid-body after the customer was stored: ' +
      'found by marker and deleted; the check passes when tried again',
    async () => {
      const o = await runWithFault({ kind: 'truncate', method: 'POST', path: 'collection', times: 3, after: true });
      expect(bad(o)).toEqual([]);
      expect(retried(o)).toHaveLength(3);
      expect(o.left).toBe(0);
    },
  );

  test('every connection dropped: every check fails fast, nothing is created', async () => {
    const o = await runWithFault({ kind: 'drop' });
    expect(o.ms).toBeLessThan(15_000);
    expect(o.results.every((r) => r.status === 'failed' || r.status === 'broken' || r.status === 'not-verified')).toBe(
      true,
    );
    expect(o.left).toBe(0);
  });
});
