// On GitHub Actions: the verdict and the statement table appended, in Markdown, to the file
// GITHUB_STEP_SUMMARY names, so the job's summary page shows them. Whatever came from the target is made an
// inert table cell (helpers/client/text.ts mdCell): it can add no row, link, heading or verdict.
import { appendFileSync } from 'node:fs';
import { ORIGIN_LABEL } from '../../fixtures/contract/statements.ts';
import { cut, mdCell } from '../client/text.ts';
import { checkCounts, evidence, statementChecks, type Summary } from './summary.ts';
import { originCounts } from './verdict.ts';

/** How much of a statement's evidence or reason a row shows (the whole is in conformance.md). */
const CELL_CHARS = 300;

/** The step summary's Markdown: the verdict, the run in a few rows, one row a statement. */
export function stepSummaryMarkdown(s: Summary): string {
  const r = s.run;
  const cell = (text: string) => mdCell(cut(text, CELL_CHARS));
  const icon = s.overall === 'CONFORMANT' ? '✅' : s.overall === 'INCOMPLETE' ? '⚠️' : '❌';
  return [
    `## Customer API conformance: ${icon} ${s.overall}`,
    '',
    '| | |',
    '| --- | --- |',
    `| target | ${cell(r.target)} (${r.targetKind}) |`,
    ...(r.deploymentVersion ? [`| deployment version | ${cell(r.deploymentVersion)} |`] : []),
    `| suite | ${cell(r.suiteVersion)}${r.gitCommit ? ` (${cell(r.gitCommit)})` : ''} |`,
    `| seed | ${r.seed} |`,
    ...(r.selection ? [`| selection | ${cell(r.selection)} |`] : []),
    `| statements | ${originCounts(s.statements)} |`,
    `| checks | ${checkCounts(s.checks)} |`,
    '',
    '| id | origin | verdict | checks (passed/failed/not verified) | evidence or reason |',
    '| --- | --- | --- | --- | --- |',
    ...s.ids.map(
      (v) =>
        `| ${cell(v.id)} | ${ORIGIN_LABEL[v.origin]} | ${v.verdict} | ${statementChecks(v)} | ${cell(evidence(v))} |`,
    ),
    '',
    'The whole evidence, with how to reproduce each failure, is in the reports (conformance.md, the Allure report).',
    '',
  ].join('\n');
}

/**
 * Appends the step summary when GITHUB_STEP_SUMMARY names a file; a file that cannot be written is said on
 * `warn` and changes nothing else (the verdict and the exit code stand).
 */
export function appendStepSummary(
  env: Readonly<Record<string, string | undefined>>,
  s: Summary,
  warn: (line: string) => void = () => undefined,
): void {
  const file = env.GITHUB_STEP_SUMMARY?.trim();
  if (!file) return;
  try {
    appendFileSync(file, stepSummaryMarkdown(s));
  } catch (e) {
    warn(`could not append the step summary to GITHUB_STEP_SUMMARY (${file}): ${(e as Error).message}`);
  }
}
