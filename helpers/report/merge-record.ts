// What a shard's run (`--shard I/N`) adds to its conformance.json so `npm run merge` can join the shards:
// which part it is and which checks it ran, digests of the whole selection and of the configuration, and
// every check's result (the summary holds per-statement verdicts only; the verdict needs the checks').
// Called from writeReports after the summary is written and before the certificate digests it.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { judgingSettings, type Config, type Env } from '../config/config.ts';
import { contractDigests } from './evidence.ts';
import type { CheckResult } from './result.ts';

/** The `shard` entry of a shard's conformance.json. */
export interface ShardRecord {
  index: number;
  count: number;
  /** the titles of the checks this shard ran */
  checks: string[];
  /** sha256 of the whole selection's check titles: every shard of one selection shares it */
  selection: string;
  /** how many checks the whole selection holds */
  selected: number;
  /** sha256 of what decides the verdict: target, entity, judging settings (the seed aside), suite, contract */
  configuration: string;
  contract: Record<string, string>;
}

/** The configuration of a run, by digest: shards of one run of the suite share it, whatever their seeds. */
export function configurationDigest(cfg: Config, env: Env, suite: string): string {
  const { CONFORMANCE_SEED: _seed, ...judging } = judgingSettings(env, cfg);
  const what = {
    target: cfg.baseUrl + cfg.resourcePath,
    kind: cfg.target,
    entity: cfg.main.entityId,
    other: cfg.other?.entityId ?? null,
    judging,
    suite,
  };
  return createHash('sha256').update(JSON.stringify(what)).digest('hex');
}

interface ShardRun {
  reports: string;
  cfg: Config;
  env: Env;
  results: readonly CheckResult[];
  info: { suiteVersion: string; gitCommitFull?: string };
  /** a Prepared run handed to writeReports carries its selection, and with --shard its shard (run/shard.ts) */
  selection?: {
    shard?: { index: number; count: number; titles: string[]; selectionDigest: string; selectedTotal: number };
  };
}

/** With --shard: adds `shard` and `results` to the run's conformance.json (nothing otherwise). */
export function recordShard(run: ShardRun): void {
  const shard = run.selection?.shard;
  if (!shard) return;
  const file = join(run.reports, 'conformance.json');
  const summary = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const suite = `${run.info.suiteVersion} ${run.info.gitCommitFull ?? ''}`.trim();
  const record: ShardRecord = {
    index: shard.index,
    count: shard.count,
    checks: shard.titles,
    selection: shard.selectionDigest,
    selected: shard.selectedTotal,
    configuration: configurationDigest(run.cfg, run.env, suite),
    contract: contractDigests(),
  };
  const results = run.results.map(({ replay: _replay, ...r }) => r);
  writeFileSync(file, JSON.stringify({ ...summary, shard: record, results }, null, 2) + '\n');
}
