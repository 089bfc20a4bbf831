// The conformance certificate: reports/certificate.md and .json. Stable and diff-friendly: fixed key and row
// order (the contract's), no durations, so two certificates compare line by line.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Summary } from './summary.ts';
import { checkCounts, evidence } from './summary.ts';
import { originCounts } from '../verdict.ts';
import { mdCell } from '../text.ts';
import { ORIGIN_LABEL } from '../../fixtures/statements.ts';

export interface Certificate {
  verdict: Summary['overall'];
  target: string;
  targetKind: string;
  deploymentVersion: string | null;
  suiteVersion: string;
  gitCommit: string | null;
  seed: number;
  date: string;
  selection: string | null;
  checks: Summary['checks'];
  /** statement verdicts counted apart for the contract and the suite-defined statements */
  counts: Summary['statements'];
  statements: { id: string; origin: string; verdict: string; checks: number; note: string }[];
}

export function certificate(s: Summary): Certificate {
  return {
    verdict: s.overall,
    target: s.run.target,
    targetKind: s.run.targetKind,
    deploymentVersion: s.run.deploymentVersion ?? null,
    suiteVersion: s.run.suiteVersion,
    gitCommit: s.run.gitCommit ?? null,
    seed: s.run.seed,
    date: s.run.finishedAt.slice(0, 10),
    selection: s.run.selection ?? null,
    checks: s.checks,
    counts: s.statements,
    statements: s.ids.map((v) => ({ id: v.id, origin: ORIGIN_LABEL[v.origin], verdict: v.verdict, checks: v.checks, note: v.verdict === 'passed' ? '' : evidence(v).split('\n')[0]! })),
  };
}

const WHY: Record<Summary['overall'], string> = {
  CONFORMANT: 'Every statement of the contract was verified and held.',
  'NOT CONFORMANT': 'At least one statement of the contract was found broken (see the failed rows).',
  INCOMPLETE: 'No statement was found broken, but some could not be verified (see the reasons); the deployment is not certified conformant.',
};

export function certificateMarkdown(c: Certificate): string {
  return [
    '# Customer API conformance certificate',
    '',
    `Verdict: **${c.verdict}**`,
    '',
    WHY[c.verdict],
    '',
    `- Target: ${c.target} (${c.targetKind})`,
    `- Deployment version: ${c.deploymentVersion ?? 'not reported (set CUSTOMER_API_VERSION_HEADER)'}`,
    `- Suite: customer-api-conformance ${c.suiteVersion}${c.gitCommit ? `, commit ${c.gitCommit}` : ''}`,
    `- Contract: Customer API 1.17.0 (fixtures/customer-api.md)`,
    `- Seed: ${c.seed}`,
    `- Date: ${c.date}`,
    ...(c.selection ? [`- Selection: ${c.selection} (a partial run cannot certify conformance)`] : []),
    `- Statements: ${originCounts(c.counts)} (suite-defined statements are the suite's own, beyond the contract text)`,
    `- Checks: ${checkCounts(c.checks)}`,
    '',
    '| statement | origin | verdict | checks | note |',
    '| --- | --- | --- | --- | --- |',
    ...c.statements.map((s) => `| ${s.id} | ${s.origin} | ${s.verdict} | ${s.checks} | ${mdCell(s.note)} |`),
    '',
  ].join('\n');
}

export function writeCertificate(dir: string, s: Summary): Certificate {
  const c = certificate(s);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'certificate.json'), JSON.stringify(c, null, 2) + '\n');
  writeFileSync(join(dir, 'certificate.md'), certificateMarkdown(c));
  return c;
}
