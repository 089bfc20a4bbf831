// `npm run merge`: the reports of the shards of one run (`npm run conformance -- --shard I/N`, each in its
// own reports folder) joined into one reports folder as one unsharded run of the same selection writes it:
// conformance.json/md and the certificate from every check's result (each shard's conformance.json carries
// them: the per-statement verdicts alone cannot be summed), the JUnit XML joined suite by suite, and the
// Allure report generated over all the shards' allure-results together.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import type { Env } from '../config/config.ts';
import { ConfigError } from '../config/config-error.ts';
import type { Certificate } from './certificate.ts';
import { writeCertificate } from './certificate.ts';
import { writeExecutor } from './executor.ts';
import { mergeJunit } from './merge-junit.ts';
import { readShards, type ShardReport } from './merge-read.ts';
import { AllureRenderer, appendEnvironment, renderAllure } from './render-allure.ts';
import type { CheckResult } from './result.ts';
import { signingKey } from './signature.ts';
import { checkCounts, summarize, verdictLine, writeSummary, type RunInfo, type Summary } from './summary.ts';
import { originCounts } from './verdict.ts';

export interface Merged {
  summary: Summary;
  rendered: boolean;
  /** why the Allure HTML report was not rendered */
  notRendered?: string;
  shards: ShardReport[];
}

const shown = (p: string) => relative(process.cwd(), p) || p;

/** Each shard's reproduction scripts, into `out`/reproduce/shard-I; its results then name them there. */
function reproductions(s: ShardReport, out: string): CheckResult[] {
  const from = join(s.dir, 'reproduce');
  const to = join(out, 'reproduce', `shard-${s.shard.index}`);
  if (existsSync(from)) cpSync(from, to, { recursive: true });
  return s.results.map((r) => (r.reproduction ? { ...r, reproduction: shown(join(to, basename(r.reproduction))) } : r));
}

/** The run as one: the first shard's, with every shard's run id, the earliest start and the latest end. */
function mergedInfo(shards: ShardReport[]): RunInfo {
  const runs = shards.map((s) => s.summary.run);
  const selection = runs[0]!.selection?.replace(/,? ?shard \d+\/\d+( \([^)]*\))?$/, '') || undefined;
  return {
    ...runs[0]!,
    runId: runs.map((r) => r.runId).join('+'),
    startedAt: runs.map((r) => r.startedAt).sort()[0]!,
    finishedAt: runs
      .map((r) => r.finishedAt)
      .sort()
      .at(-1)!,
    selection,
  };
}

/** The shards' Allure results in one folder, their environment entries the merged run's. */
function allureResults(shards: ShardReport[], out: string, env: Env, s: Summary): void {
  const dir = join(out, 'allure-results');
  for (const sh of [...shards].reverse())
    if (existsSync(join(sh.dir, 'allure-results'))) cpSync(join(sh.dir, 'allure-results'), dir, { recursive: true });
  mkdirSync(dir, { recursive: true });
  const props = join(dir, 'environment.properties');
  const mine = /^(verdict|statements|checks|run\\ id|seed)=/;
  const kept = existsSync(props)
    ? readFileSync(props, 'utf8')
        .split('\n')
        .filter((l) => l && !mine.test(l))
    : [];
  writeFileSync(props, [...kept, `run\\ id=${s.run.runId}`, ''].join('\n'));
  writeExecutor(dir, env);
  appendEnvironment(dir, {
    verdict: verdictLine(s),
    statements: originCounts(s.statements),
    checks: checkCounts(s.checks),
    shards: String(shards.length),
  });
}

/** Joins the shards' reports in `dirs` into `out`; a ConfigError when they are not the shards of one run. */
export async function mergeReports(dirs: readonly string[], out: string, env: Env): Promise<Merged> {
  const shards = readShards(dirs.map((d) => resolve(d)));
  const target = resolve(out);
  if (shards.some((s) => s.dir === target)) throw new ConfigError(`--out ${out} is one of the shards: name another`);
  const key = signingKey(env.CONFORMANCE_SIGNING_KEY);
  for (const d of ['allure-results', 'allure-report', 'reproduce'])
    rmSync(join(target, d), { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  const results = shards
    .flatMap((s) => reproductions(s, target))
    .sort((a, b) => (a.title < b.title ? -1 : a.title > b.title ? 1 : 0));
  const summary = summarize(mergedInfo(shards), results);
  writeSummary(target, summary);
  const from = shards.map((s) => ({
    index: s.shard.index,
    runId: s.summary.run.runId,
    seed: s.summary.run.seed,
    dir: shown(s.dir),
  }));
  const file = join(target, 'conformance.json');
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  writeFileSync(file, JSON.stringify({ ...json, merged: { count: shards.length, shards: from } }, null, 2) + '\n');
  const junit = shards.map((s) => join(s.dir, 'junit.xml')).filter((f) => existsSync(f));
  writeFileSync(
    join(target, 'junit.xml'),
    mergeJunit(
      junit.map((f) => readFileSync(f, 'utf8')),
      'Customer API conformance',
    ),
  );
  allureResults(shards, target, env, summary);
  const cert = JSON.parse(readFileSync(join(shards[0]!.dir, 'certificate.json'), 'utf8')) as Certificate;
  writeCertificate(target, summary, { choices: cert.choices, readings: cert.readings, signingKey: key });
  const renderer = new AllureRenderer();
  const rendered = await renderAllure(target, `Customer API conformance — ${verdictLine(summary)}`, renderer);
  return { summary, rendered, notRendered: renderer.why, shards };
}
