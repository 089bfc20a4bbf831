// The mutation self-test: the whole suite against the reference target (and its differently correct
// flavour), which must pass, and against every defect in the catalogue, which must fail naming the
// contract id the defect breaks. Runs in-process, defects concurrently.
import type { CheckResult } from '../helpers/check.ts';
import { createRunEnv, embeddedConfig } from '../helpers/run-env.ts';
import { runChecks } from '../helpers/runner.ts';
import { allChecks } from '../suites/registry.ts';
import { DEFECTS } from '../fixtures/target/defects.ts';
import { startTarget, type TargetOptions } from '../fixtures/target/server.ts';
import type { ContractId } from '../fixtures/statements.ts';

export interface TargetRun {
  label: string;
  /** the id the defect breaks; undefined for a correct target */
  breaks?: ContractId;
  results: CheckResult[];
  /** ids some check failed on */
  failedIds: ContractId[];
  /** customers left on the target after the run */
  leftovers: number;
  ms: number;
}

export async function runAgainst(label: string, opts: TargetOptions, env: Record<string, string> = {}, breaks?: ContractId): Promise<TargetRun> {
  const t0 = performance.now();
  const target = await startTarget(opts);
  try {
    const cfg = embeddedConfig(target.url, { CONFORMANCE_SEED: '20261125', CUSTOMER_API_CONCURRENCY: '16', CUSTOMER_API_TIMEOUT_MS: '5000', ...env });
    const run = createRunEnv(cfg, { ledgerFile: null });
    const results = await runChecks(allChecks(cfg), run);
    await run.http.close();
    const failedIds = [...new Set(results.flatMap((r) => r.failures.map((f) => f.id)))].sort();
    return { label, breaks, results, failedIds, leftovers: target.count(), ms: performance.now() - t0 };
  } finally {
    await target.close();
  }
}

export interface MutationReport {
  correct: TargetRun[];
  defects: TargetRun[];
  caught: number;
  falseAlarms: number;
}

async function pool<T, R>(items: readonly T[], n: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  }));
  return out;
}

export const CORRECT_TARGETS: { label: string; opts: TargetOptions; env?: Record<string, string> }[] = [
  { label: 'reference', opts: {} },
  { label: 'alternate (differently correct)', opts: { flavour: 'alternate' } },
  { label: 'reference, bearer auth', opts: {}, env: { CUSTOMER_API_AUTH: 'bearer' } },
  { label: 'reference, PUT + merge + 201 + 404 choices', opts: { updateMethod: 'PUT', updateSemantics: 'merge', createStatus: 201, malformedIdStatus: 404, otherEntityStatus: 404 }, env: { CUSTOMER_API_UPDATE_METHOD: 'PUT', CUSTOMER_API_UPDATE_SEMANTICS: 'merge', CUSTOMER_API_CREATE_STATUS: '201', CUSTOMER_API_MALFORMED_ID_STATUS: '404', CUSTOMER_API_OTHER_ENTITY_STATUS: '404' } },
];

export async function mutationTest(opts: { defects?: readonly string[]; parallel?: number; correct?: boolean } = {}): Promise<MutationReport> {
  const correct = opts.correct === false ? [] : await pool(CORRECT_TARGETS, 2, (c) => runAgainst(c.label, c.opts, c.env));
  const chosen = DEFECTS.filter((d) => !opts.defects || opts.defects.includes(d.name));
  const defects = await pool(chosen, opts.parallel ?? 4, (d) => runAgainst(d.name, { defect: d.name }, {}, d.breaks));
  return {
    correct,
    defects,
    caught: defects.filter((d) => d.breaks && d.failedIds.includes(d.breaks)).length,
    falseAlarms: correct.filter((c) => c.results.some((r) => r.status !== 'passed' && r.status !== 'not-verified')).length,
  };
}

/** The kill matrix as Markdown: one row per defect, the id it breaks, and the ids the suite failed on. */
export function killMatrix(r: MutationReport): string {
  const lines = [
    `defects caught ${r.caught}/${r.defects.length}, false alarms ${r.falseAlarms} (on ${r.correct.length} correct targets: ${r.correct.map((c) => c.label).join('; ')})`,
    '',
    '| defect | breaks | caught | ids the suite failed |',
    '| --- | --- | --- | --- |',
    ...r.defects.map((d) => `| ${d.label} | ${d.breaks} | ${d.breaks && d.failedIds.includes(d.breaks) ? 'yes' : '**NO**'} | ${d.failedIds.join(', ') || '–'} |`),
  ];
  return lines.join('\n');
}
