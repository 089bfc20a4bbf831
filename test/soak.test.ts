// Soak: 300 workflows through the in-process runner against the reference target in a process of its own
// (so the target's stored tombstones do not count): the heap after GC stays flat and nothing is left.
// `npm run bench -- --soak 500` runs a bigger one.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { soak, type SoakResult } from '../helpers/bench/soak.ts';
import { SUITE } from '../suites/suite.ts';
import { startTargetProcess, type TargetProcess } from '../helpers/bench/target-child.ts';
import { createRunEnv, embeddedConfig } from '../helpers/run/run-env.ts';

let target: TargetProcess;
let result: SoakResult;
let pending: number;

beforeAll(async () => {
  target = await startTargetProcess(0);
  const env = createRunEnv(embeddedConfig(target.url, { CONFORMANCE_SEED: '20261125' }), { ledgerFile: null });
  result = await soak(SUITE, env, 300, { concurrency: 8, samples: 20 });
  pending = env.ledger.pending().length;
  await env.http.close();
}, 120_000);

afterAll(async () => {
  await target?.close();
});

test('300 workflows pass, each on its own customers, and leave nothing on the target', async () => {
  expect(result).toMatchObject({ workflows: 300, notPassed: 0, requests: 300 * 6 });
  expect(pending).toBe(0);
  expect((await target.count()).live).toBe(0);
});

test('the heap after GC stays flat over the run', () => {
  const f = result.flatness;
  const detail =
    `heap ${f.firstMb.toFixed(1)} → ${f.lastMb.toFixed(1)} MB, ${Math.round(f.bytesPerWorkflow)} B/workflow; ` +
    `samples ${result.samples.map((s) => s.heapMb.toFixed(1)).join(' ')}`;
  if (result.gc) expect(f.flat, detail).toBe(true);
  // without a forced GC the samples carry garbage: only a gross leak is visible
  else expect(f.ratio, detail).toBeLessThan(3);
});
