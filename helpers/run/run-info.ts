// What the reports and the certificate say about a run: which suite (version, commit, whether the checkout
// was clean), against what, by whom and where, with which seed and selection.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import type { Config, Env } from '../config/config.ts';
import type { Selection } from './harness-state.ts';
import type { RunInfo } from '../report/summary.ts';
import { detectExecutor } from '../report/executor.ts';

const ROOT = resolve(import.meta.dirname, '../..');

const git = (...args: string[]): Promise<string | undefined> =>
  new Promise((done) => execFile('git', args, { cwd: ROOT }, (e, out) => done(e ? undefined : out.trim())));

export type SuiteSource = Pick<RunInfo, 'gitCommit' | 'gitCommitFull' | 'treeClean'>;

/**
 * The suite's commit, short and whole, and whether the checkout holds uncommitted changes (reports/ aside).
 * Asked of git as the run starts, and waited for when the checks begin: two processes waited for in turn held
 * the run's start for 60 ms.
 */
export async function suiteSource(): Promise<SuiteSource> {
  const [full, status] = await Promise.all([
    git('rev-parse', 'HEAD'),
    git('status', '--porcelain', '--untracked-files=normal'),
  ]);
  const changed = status?.split('\n').filter((l) => l && !/^.. reports\//.test(l));
  const treeClean = changed === undefined ? undefined : !changed.length;
  return { gitCommit: full?.slice(0, 7) || undefined, gitCommitFull: full || undefined, treeClean };
}

export const suiteVersion = (): string =>
  (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** The CI system and build the run belongs to, when it runs on one. */
function ciOf(env: Env): string | undefined {
  const e = detectExecutor(env);
  return e ? `${e.name}${e.buildName ? ` ${e.buildName}` : ''}${e.buildUrl ? ` (${e.buildUrl})` : ''}` : undefined;
}

/** The selection in words, e.g. `only get,update, read-only`; nothing when every check runs. */
function selectionText(s: Selection): string | undefined {
  const parts = [
    s.only?.length ? `only ${s.only.join(',')}` : '',
    s.readOnly ? 'read-only' : '',
    (s.repeat ?? 1) > 1 ? `workflows ×${s.repeat}` : '',
    s.shard ? `shard ${s.shard.index}/${s.shard.count}` : '',
  ];
  return parts.filter(Boolean).join(', ') || undefined;
}

/** The run as it starts (finishedAt is set when it ends). */
export function runInfo(
  cfg: Config,
  env: Env,
  run: { runId: string; selection: Selection; deploymentVersion?: string; connections?: string; source: SuiteSource },
): RunInfo {
  const startedAt = new Date().toISOString();
  return {
    target: cfg.baseUrl,
    targetKind: cfg.target,
    suiteVersion: suiteVersion(),
    ...run.source,
    ranBy: `${userInfo().username}@${hostname()}`,
    ci: ciOf(env),
    deploymentVersion: run.deploymentVersion,
    ...(run.connections && { connections: run.connections }),
    seed: cfg.seed,
    runId: run.runId,
    startedAt,
    finishedAt: startedAt,
    selection: selectionText(run.selection),
    node: process.version,
  };
}
