// The mutation self-test: the whole suite against the reference target (and its differently correct
// flavours), which must pass, and against every defect in the catalogue, which must fail naming the
// contract id the defect breaks; each under several seeds, which must not change any verdict. Runs
// in-process, defects concurrently.
import { otherChoices } from '../../fixtures/contract/choices.ts';
import type { CheckInfo, CheckResult } from '../report/result.ts';
import { READING_POINTS, type PointId } from '../../fixtures/contract/readings.ts';
import type { Flavour } from '../../fixtures/target/behaviour.ts';
import { createRunEnv, embeddedConfig } from './run-env.ts';
import { pool } from './pool.ts';
import type { SuitePort } from './suite-port.ts';
import { DEFECTS } from '../../fixtures/target/defects.ts';
import { startTarget, type TargetOptions } from '../../fixtures/target/server.ts';
import type { ContractId } from '../../fixtures/contract/statements.ts';

/** The seeds every target is run under: the same behaviour must give the same verdicts under each. */
export const SEEDS = [20261125, 7, 1_999_999_937] as const;

export interface SeedRun {
  seed: number;
  results: CheckResult[];
  /** ids some check failed on */
  failedIds: ContractId[];
  /** customers left on the target after the run */
  leftovers: number;
}

export interface TargetRun {
  label: string;
  /** the id the defect breaks; undefined for a correct target */
  breaks?: ContractId;
  /** one run per seed, SEEDS[0]'s first */
  seeds: SeedRun[];
  /** the first seed's results and failed ids, what the kill matrix shows */
  results: CheckResult[];
  failedIds: ContractId[];
  leftovers: number;
  /** checks whose status differs between seeds, with the statuses */
  seedDependent: string[];
  ms: number;
}

async function runOnce(
  suite: SuitePort,
  opts: TargetOptions,
  env: Record<string, string>,
  seed: number,
  only?: (c: CheckInfo) => boolean,
): Promise<SeedRun> {
  const target = await startTarget(opts);
  try {
    const cfg = embeddedConfig(target.url, {
      CUSTOMER_API_CONCURRENCY: '16',
      CUSTOMER_API_TIMEOUT_MS: '5000',
      ...env,
      CONFORMANCE_SEED: String(seed),
    });
    const run = createRunEnv(cfg, { ledgerFile: null });
    const results = await suite.run(
      suite.checks(cfg).filter((c) => only?.(c) ?? true),
      run,
    );
    await run.http.close();
    const failedIds = [...new Set(results.flatMap((r) => r.failures.map((f) => f.id)))].sort();
    return { seed, results, failedIds, leftovers: target.count() };
  } finally {
    await target.close();
  }
}

/** Checks whose status is not the same under every seed (a correct server's verdict must not depend on data). */
function seedDependence(runs: readonly SeedRun[]): string[] {
  const out: string[] = [];
  for (const r of runs[0]!.results) {
    const statuses = runs.map((x) => x.results.find((y) => y.title === r.title)?.status ?? 'absent');
    if (new Set(statuses).size > 1)
      out.push(`${r.title}: ${runs.map((x, i) => `seed ${x.seed} ${statuses[i]}`).join(', ')}`);
  }
  return out;
}

export async function runAgainst(
  suite: SuitePort,
  label: string,
  opts: TargetOptions,
  env: Record<string, string> = {},
  breaks?: ContractId,
  o: { seeds?: readonly number[]; only?: (c: CheckInfo) => boolean } = {},
): Promise<TargetRun> {
  const t0 = performance.now();
  const seeds: SeedRun[] = [];
  for (const seed of o.seeds ?? SEEDS) seeds.push(await runOnce(suite, opts, env, seed, o.only));
  const first = seeds[0]!;
  return {
    label,
    breaks,
    seeds,
    results: first.results,
    failedIds: first.failedIds,
    leftovers: Math.max(...seeds.map((x) => x.leftovers)),
    seedDependent: seedDependence(seeds),
    ms: performance.now() - t0,
  };
}

export interface MutationReport {
  correct: TargetRun[];
  defects: TargetRun[];
  caught: number;
  falseAlarms: number;
}

/** The reading each flavour of the reference target takes at every point of fixtures/contract/readings.ts. */
export const TAKEN: Readonly<Record<'reference' | 'readings', Readonly<Record<PointId, string>>>> = {
  reference: {
    'name-rule': 'both',
    'invalid-utf8': 'reject',
    'lone-surrogate': 'keep',
    'empty-string': 'value',
    'null-value': 'wrong-type',
    'pattern-line-end': 'ecma',
    'check-order': 'types-first',
    'read-only-fields': 'ignore',
    'timestamp-form': 'rfc3339',
  },
  readings: {
    'name-rule': 'either',
    'invalid-utf8': 'replace',
    'lone-surrogate': 'replace',
    'empty-string': 'absent',
    'null-value': 'absent',
    'pattern-line-end': 'line-end',
    'check-order': 'entity-first',
    'read-only-fields': 'reject',
    'timestamp-form': 'iso8601',
  },
};

/** The settings that narrow every point to the readings a flavour takes (a deployment declaring its choices). */
export const narrowedTo = (flavour: keyof typeof TAKEN): Record<string, string> =>
  Object.fromEntries(READING_POINTS.map((p) => [p.setting, TAKEN[flavour][p.id]]));

export const CORRECT_TARGETS: { label: string; opts: TargetOptions; env?: Record<string, string> }[] = [
  { label: 'reference', opts: {} },
  { label: 'alternate (differently correct)', opts: { flavour: 'alternate' } },
  {
    label: 'other readings (the reading the reference does not take, at every point)',
    opts: { flavour: 'readings' satisfies Flavour },
  },
  { label: 'reference, every point narrowed to its readings', opts: {}, env: narrowedTo('reference') },
  {
    label: 'other readings, every point narrowed to its readings',
    opts: { flavour: 'readings' },
    env: narrowedTo('readings'),
  },
  { label: 'reference, bearer auth', opts: {}, env: { CUSTOMER_API_AUTH: 'bearer' } },
  // every deployment choice at a value the contract does not default to, the target answering likewise
  {
    label: `reference, choices ${Object.values(otherChoices().env).join(' + ')}`,
    opts: otherChoices().choices,
    env: otherChoices().env,
  },
];

/**
 * For every point, the other-readings target with that point alone narrowed to the reference's reading: it
 * must fail one of the point's statements (the narrowed rows can fail), under one seed.
 */
export function narrowingRuns(suite: SuitePort): Promise<(TargetRun & { point: PointId })[]> {
  return pool(READING_POINTS, 4, async (p) => {
    const statements: readonly string[] = p.statements;
    const only = (c: CheckInfo) => c.ids.some((id) => statements.includes(id));
    const run = await runAgainst(
      suite,
      `${p.setting}=${TAKEN.reference[p.id]}`,
      { flavour: 'readings' },
      { [p.setting]: TAKEN.reference[p.id] },
      undefined,
      { seeds: [SEEDS[0]], only },
    );
    return { ...run, point: p.id };
  });
}

export async function mutationTest(
  suite: SuitePort,
  opts: { defects?: readonly string[]; parallel?: number; correct?: boolean } = {},
): Promise<MutationReport> {
  const correct =
    opts.correct === false ? [] : await pool(CORRECT_TARGETS, 2, (c) => runAgainst(suite, c.label, c.opts, c.env));
  const chosen = DEFECTS.filter((d) => !opts.defects || opts.defects.includes(d.name));
  const defects = await pool(chosen, opts.parallel ?? 4, (d) =>
    runAgainst(suite, d.name, { defect: d.name }, {}, d.breaks),
  );
  return {
    correct,
    defects,
    caught: defects.filter((d) => d.breaks && d.seeds.every((x) => x.failedIds.includes(d.breaks!))).length,
    falseAlarms: correct.filter((c) =>
      c.seeds.some((x) => x.results.some((r) => r.status !== 'passed' && r.status !== 'not-verified')),
    ).length,
  };
}

/** The kill matrix as Markdown: one row per defect, the id it breaks, and the ids the suite failed on. */
const racy = (run: TargetRun) => DEFECTS.some((d) => d.name === run.label && d.racy);
const seedDependentTargets = (r: MutationReport) =>
  [...r.correct, ...r.defects].filter((x) => x.seedDependent.length && !racy(x)).length;

export function killMatrix(r: MutationReport): string {
  const lines = [
    `defects caught ${r.caught}/${r.defects.length}, false alarms ${r.falseAlarms} ` +
      `(on ${r.correct.length} correct targets: ${r.correct.map((c) => c.label).join('; ')}); ` +
      `each under seeds ${SEEDS.join(', ')}, ` +
      `verdicts seed-dependent on ${seedDependentTargets(r)} ` +
      'targets (race defects apart: which other checks they trip depends on timing)',
    '',
    '| defect | breaks | caught | ids the suite failed |',
    '| --- | --- | --- | --- |',
    ...r.defects.map(
      (d) =>
        `| ${d.label} | ${d.breaks} | ${d.breaks && d.failedIds.includes(d.breaks) ? 'yes' : '**NO**'} | ` +
        `${d.failedIds.join(', ') || '–'} |`,
    ),
  ];
  return lines.join('\n');
}
