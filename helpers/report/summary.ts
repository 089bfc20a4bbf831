// The conformance summary: reports/conformance.json and .md, and the short table printed at the end of a run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckResult } from './result.ts';
import {
  countByOrigin,
  NOT_SELECTED,
  originCounts,
  overall,
  verdicts,
  type IdVerdict,
  type OriginCount,
  type Overall,
} from './verdict.ts';
import { ORIGIN_LABEL, type Origin } from '../../fixtures/contract/statements.ts';
import { cut, mdCell, oneLine } from '../client/text.ts';
import { contractInfo, regressionPhrase, type BaselineRecord, type ContractInfo } from './baseline.ts';

export interface RunInfo {
  target: string;
  targetKind: 'embedded' | 'remote';
  suiteVersion: string;
  gitCommit?: string;
  /** the whole commit id, and whether the checkout had no uncommitted change */
  gitCommitFull?: string;
  treeClean?: boolean;
  /** user@host that ran the suite, and the CI build it ran in (name and URL) */
  ranBy?: string;
  ci?: string;
  deploymentVersion?: string;
  /** how the checks connected, when not on reused keep-alive connections */
  connections?: string;
  seed: number;
  runId: string;
  startedAt: string;
  finishedAt: string;
  selection?: string;
  node: string;
}

export interface Summary {
  run: RunInfo;
  overall: Overall;
  /** `retried`: passed only when tried again after the environment broke the first attempt (flaky) */
  checks: { total: number; passed: number; failed: number; notVerified: number; broken: number; retried: number };
  /** statement verdicts counted apart: the contract's, and the suite-defined ones */
  statements: Record<Origin, OriginCount>;
  ids: IdVerdict[];
  /** the contract the run was judged against (a later run given this file as its baseline compares it) */
  contract?: ContractInfo;
  /** with --baseline: the statements failing anew, those failing in the baseline too, and those fixed */
  baseline?: BaselineRecord;
}

export function summarize(run: RunInfo, results: readonly CheckResult[]): Summary {
  const v = verdicts(results);
  const count = (s: CheckResult['status']) => results.filter((r) => r.status === s).length;
  return {
    run,
    overall: overall(v, results),
    checks: {
      total: results.length,
      passed: count('passed'),
      failed: count('failed'),
      notVerified: count('not-verified'),
      broken: count('broken'),
      retried: results.filter((r) => r.status === 'passed' && r.retried).length,
    },
    statements: countByOrigin(v),
    ids: v,
    contract: contractInfo(),
  };
}

/** What a run against the embedded reference target is, wherever its verdict is shown. */
export const REFERENCE_RUN = 'reference run against the embedded target: not a certification';
const referenceNote = (s: Summary) => (s.run.targetKind === 'embedded' ? ` (${REFERENCE_RUN})` : '');

/** The verdict as the report's name and landing page state it: against the baseline, and a reference run. */
export const verdictLine = (s: Summary): string =>
  `${s.overall}${s.baseline ? `, ${regressionPhrase(s.baseline.regressions)}` : ''}${referenceNote(s)}`;

export function summaryMarkdown(s: Summary): string {
  const r = s.run;
  const lines = [
    '# Customer API conformance summary',
    '',
    `**Verdict: ${s.overall}**${referenceNote(s)}`,
    '',
    '| | |',
    '| --- | --- |',
    `| target | ${r.target} (${r.targetKind}) |`,
    ...(r.deploymentVersion ? [`| deployment version | ${r.deploymentVersion} |`] : []),
    `| suite | ${r.suiteVersion}${r.gitCommit ? ` (${r.gitCommit})` : ''} |`,
    `| seed | ${r.seed} (replay with CONFORMANCE_SEED=${r.seed}) |`,
    `| run | ${r.runId}, ${r.startedAt} → ${r.finishedAt} |`,
    ...(r.selection ? [`| selection | ${r.selection} |`] : []),
    ...(r.connections ? [`| connections | ${mdCell(r.connections)} |`] : []),
    `| statements | ${originCounts(s.statements)} |`,
    `| checks | ${checkCounts(s.checks)} |`,
    ...(s.baseline ? [`| baseline | ${mdCell(s.baseline.file)}: ${regressionPhrase(s.baseline.regressions)} |`] : []),
    '',
    ...baselineMarkdown(s.baseline),
    '| id | origin | verdict | checks (passed/failed/not verified) | evidence or reason |',
    '| --- | --- | --- | --- | --- |',
    ...s.ids.map(
      (v) => `| ${v.id} | ${ORIGIN_LABEL[v.origin]} | ${v.verdict} | ${statementChecks(v)} | ${mdCell(evidence(v))} |`,
    ),
    '',
    ...(s.ids.some((v) => v.notArisenChecks) ? [NOT_ARISEN, ''] : []),
    'Suite-defined statements are not in the contract text: ' +
      'the suite adds them (see fixtures/contract/statements.ts) and counts them apart.',
    '',
  ];
  return lines.join('\n');
}

/** With a baseline: the regressions, the known nonconformances and the statements fixed since, a list each. */
export function baselineMarkdown(b: BaselineRecord | undefined): string[] {
  if (!b) return [];
  const list = (title: string, ids: string[], none: string) => [
    `### ${title} (${ids.length})`,
    '',
    ...(ids.length ? ids.map((id) => `- ${id}`) : [`- ${none}`]),
    '',
  ];
  return [
    `## Against the baseline ${mdCell(b.file)}${b.runId ? ` (run ${b.runId})` : ''}`,
    '',
    ...list('Regressions: failing now, not failing in the baseline', b.regressions, 'none'),
    ...list('Known nonconformances: failing in the baseline too (not gating)', b.known, 'none'),
    ...list('Fixed since the baseline', b.fixed, 'none'),
  ];
}

/** The console's lines for a baseline: regressions, known nonconformances and fixes, one line each. */
function baselineLines(b: BaselineRecord | undefined, p: Paint): string[] {
  if (!b) return [];
  const row = (label: string, ids: string[]) => `  ${label.padEnd(24)} ${ids.length ? ids.join(', ') : 'none'}`;
  return [
    '',
    p.bold(`Against the baseline ${oneLine(b.file)}`),
    (b.regressions.length ? p.red : (x: string) => x)(row('regressions', b.regressions)),
    row('known (not gating)', b.known),
    p.green(row('fixed since', b.fixed)),
  ];
}

/** "506 checks: 500 passed (2 after a retry), 0 failed, 1 broken (the environment's), 5 not verified" */
export function checkCounts(c: Summary['checks']): string {
  const retried = c.retried ? ` (${c.retried} only after a retry: flaky answers)` : '';
  return (
    `${c.total} checks: ${c.passed} passed${retried}, ` +
    `${c.failed} failed, ${c.broken} broken, ${c.notVerified} not verified`
  );
}

const NOT_ARISEN =
  '"did not arise": checks that held without the statement coming up, as the contract allows ' +
  '(e.g. the target accepted a value it may accept or refuse, so there was no refusal to judge).';

/** A statement's checks as a table cell: how many, and how many passed, failed, were not verified or did not arise. */
export function statementChecks(v: IdVerdict): string {
  const arisen = v.notArisenChecks ? `, ${v.notArisenChecks} did not arise` : '';
  return `${v.checks} (${v.passedChecks}/${v.failedChecks}/${v.notVerifiedChecks}${arisen})`;
}

export function evidence(v: IdVerdict): string {
  const e = v.evidence;
  if (e)
    return (
      `${e.check}: expected ${e.expected}; got ${e.actual}` +
      `${e.reproduction ? `\nreproduce: ${e.reproduction}` : ''}${e.curl ? `\nrequest: ${e.curl}` : ''}`
    );
  if (v.reasons.length) return (v.verdict === 'passed' ? 'partly not verified: ' : '') + v.reasons.join('; ');
  return '';
}

export function writeSummary(dir: string, s: Summary): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'conformance.json'), JSON.stringify(s, null, 2) + '\n');
  writeFileSync(join(dir, 'conformance.md'), summaryMarkdown(s));
}

export interface Paint {
  green(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
}

/**
 * Whether the console gets colour: NO_COLOR (any non-empty value) turns it off, FORCE_COLOR (non-empty, not
 * 0) turns it on, whatever the stream is; otherwise colour on a terminal only. NO_COLOR wins over both.
 */
export function colourWanted(isTTY: boolean | undefined, env: Readonly<Record<string, string | undefined>>): boolean {
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR?.trim();
  if (force && force !== '0') return true;
  return !!isTTY;
}

export function paint(enabled: boolean): Paint {
  const c = (code: number) => (s: string) => (enabled ? `\x1b[${code}m${s}\x1b[0m` : s);
  return { green: c(32), red: c(31), yellow: c(33), bold: c(1), dim: c(2) };
}

/** Text wrapped to `width`, each line after the first indented. */
function wrap(text: string, width: number, indent: string): string {
  const words = text.split(' ');
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines.join(`\n${indent}`);
}

/**
 * What a run prints at its end: one row per statement (those a subset did not select left out and counted),
 * then, as pytest does, a summary of every failed statement with its first evidence (expected, actual, how
 * to reproduce) and the reason of every statement not verified, whole; then the counts and the verdict.
 */
export function summaryTable(s: Summary, p: Paint, width = 120): string {
  const colour = (v: IdVerdict['verdict']) => (v === 'passed' ? p.green : v === 'failed' ? p.red : p.yellow);
  const unselected = s.run.selection ? s.ids.filter((v) => v.checks === 0 && v.reasons[0] === NOT_SELECTED) : [];
  const shown = s.ids.filter((v) => !unselected.includes(v));
  const name = (v: IdVerdict) => (v.origin === 'suite' ? `${v.id} (suite)` : v.id);
  const rows = shown.map(
    (v) =>
      `  ${name(v).padEnd(28)} ${colour(v.verdict)(v.verdict.padEnd(12))} ` +
      `${String(v.passedChecks).padStart(4)} of ${String(v.checks).padEnd(4)}` +
      (v.notArisenChecks ? ` (${v.notArisenChecks} did not arise)` : ''),
  );
  const w = Math.max(60, width - 6);
  // what came from the target stays on its own line, inert: no line of the console starts with its text
  const line = (label: string, text: string) => `    ${p.dim(label.padEnd(10))}${oneLine(text.replace(/\s+/g, ' '))}`;
  const failing = shown.filter((v) => v.verdict === 'failed' && v.evidence);
  const failed = failing.flatMap((v) => [
    `  ${p.red('✗')} ${p.bold(name(v))} ` +
      `${p.dim(`(${v.failedChecks} failed check${v.failedChecks === 1 ? '' : 's'})`)} ` +
      `${wrap(oneLine(v.text), w - v.id.length - 8, '      ')}`,
    line('check', v.evidence!.check),
    line('expected', v.evidence!.expected),
    line('actual', v.evidence!.actual),
    // the whole command is in conformance.md and the Allure report
    ...(v.evidence!.reproduction ? [line('reproduce', v.evidence!.reproduction)] : []),
    ...(v.evidence!.curl
      ? [line('request', cut(v.evidence!.curl, 180).replace(/… \((\d+) chars\)$/, '… (whole in conformance.md)'))]
      : []),
  ]);
  const notVerified = shown
    .filter((v) => v.verdict === 'not verified')
    .map((v) => `  ${p.yellow('?')} ${p.bold(name(v))}  ${oneLine(v.reasons[0] ?? '')}`);
  const o = s.overall === 'CONFORMANT' ? p.green : s.overall === 'INCOMPLETE' ? p.yellow : p.red;
  return [
    p.bold('Contract statements') +
      p.dim(
        '  (verdict, and how many of the checks naming it held; "(suite)": suite-defined, not in the contract text)',
      ),
    ...rows,
    ...(shown.some((v) => v.notArisenChecks) ? [p.dim(`  ${wrap(NOT_ARISEN, w, '  ')}`)] : []),
    ...(unselected.length ? [p.dim(`  (${unselected.length} statements not in this selection: not verified)`)] : []),
    ...(failing.length ? ['', p.bold(p.red(`Failed statements (${failing.length})`)), ...failed] : []),
    ...(notVerified.length ? ['', p.bold(p.yellow(`Not verified (${notVerified.length})`)), ...notVerified] : []),
    ...baselineLines(s.baseline, p),
    '',
    `${p.bold('Statements:')} ${originCounts(s.statements)}`,
    `${p.bold('Verdict:')} ${o(p.bold(s.overall))}${referenceNote(s)}` +
      `${s.baseline ? `, ${regressionPhrase(s.baseline.regressions)}` : ''}  target ${s.run.target}  ·  ` +
      `${checkCounts(s.checks)}  ·  seed ${s.run.seed}`,
  ].join('\n');
}
