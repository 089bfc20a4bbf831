// The reports of a finished run, into its reports folder: a reproduction script per failed check, the
// summaries (conformance.md/json), the Allure results' executor and environment, the certificate (last of
// the evidence: it digests the files before it) and the Allure HTML report.
import { recordShard } from './merge-record.ts';
import { CHOICES } from '../../fixtures/contract/choices.ts';
import { join, relative } from 'node:path';
import { judgingSettings, markerFields, type Config, type Env } from '../config/config.ts';
import { READING_POINTS, settingShown } from '../../fixtures/contract/readings.ts';
import type { KeyObject } from 'node:crypto';
import type { CheckResult } from './result.ts';
import { writeCertificate } from './certificate.ts';
import { writeExecutor } from './executor.ts';
import { appendEnvironment, renderAllure, type AllureRenderer } from './render-allure.ts';
import { writeReproductions } from './reproduce.ts';
import { checkCounts, summarize, verdictLine, writeSummary, type RunInfo, type Summary } from './summary.ts';
import { originCounts } from './verdict.ts';
import type { PhaseClock } from './phase-clock.ts';
import { baselineRecord, compareVerdicts, type Baseline } from './baseline.ts';

export interface FinishedRun {
  reports: string;
  cfg: Config;
  env: Env;
  info: RunInfo;
  results: CheckResult[];
  signingKey?: KeyObject;
  /** --baseline: the accepted run's conformance.json, read before the run started */
  baseline?: Baseline;
}

/** The deployment choices in force, as the certificate records them. */
function choicesOf(cfg: Config): Record<string, string> {
  return {
    ...Object.fromEntries(CHOICES.map((r) => [r.label, String(cfg[r.key])])),
    languages: cfg.languages?.join(', ') ?? 'ISO 639-1 (the contract default)',
    'field map': Object.keys(cfg.fieldMap).length ? JSON.stringify(cfg.fieldMap) : 'none (contract names)',
    'error body shape':
      cfg.errorFields ?? 'code:integer, message:string, details?:object, timestamp:integer (the contract)',
    authentication: cfg.auth,
    'marker fields': markerFields(cfg).join(', '),
    'other-entity credentials': cfg.other ? `configured (entity ${cfg.other.entityId})` : 'not configured',
  };
}

/**
 * A script per failed check that a vendor can run to see the nonconformance, and to confirm a fix; each
 * result then names its script, and drops the replay it was written from.
 */
function reproduce(run: FinishedRun): void {
  const settings = judgingSettings(run.env, run.cfg);
  const scripts = writeReproductions(run.reports, run.results, { bearer: run.cfg.auth === 'bearer', settings });
  for (const r of run.results) {
    const script = scripts.get(r.title);
    if (script) r.reproduction = relative(process.cwd(), script) || script;
    delete r.replay;
  }
}

/** Writes every report of the run; `rendered` is false when the Allure HTML report could not be rendered. */
export async function writeReports(
  run: FinishedRun,
  clock?: PhaseClock,
  renderer?: AllureRenderer,
): Promise<{ summary: Summary; rendered: boolean }> {
  const { reports, cfg } = run;
  reproduce(run);
  run.info.finishedAt = new Date().toISOString();
  const summary = summarize(run.info, run.results);
  if (run.baseline) summary.baseline = baselineRecord(run.baseline, compareVerdicts(run.baseline.ids, summary.ids));
  writeSummary(reports, summary);
  // a shard's record (its checks and their results), before the certificate digests the file
  recordShard(run);
  const resultsDir = join(reports, 'allure-results');
  writeExecutor(resultsDir, run.env);
  // the verdict on the report's landing page: its name, and the first entries of its environment
  appendEnvironment(resultsDir, {
    verdict: verdictLine(summary),
    statements: originCounts(summary.statements),
    checks: checkCounts(summary.checks),
  });
  // last of the evidence: it digests the files above
  const readings = Object.fromEntries(
    READING_POINTS.map((pt) => settingShown(cfg.readings, pt.id).split('=') as [string, string]),
  );
  writeCertificate(reports, summary, { choices: choicesOf(cfg), readings, signingKey: run.signingKey });
  clock?.end('summaries');
  const rendered = await renderAllure(reports, `Customer API conformance — ${verdictLine(summary)}`, renderer);
  return { summary, rendered };
}
