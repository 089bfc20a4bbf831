// The conformance certificate: reports/certificate.md and .json. What an auditor asks for: the verdict, the
// deployment choices and readings in force, each statement with its text and verdict, digests of the contract
// and of every evidence file, who ran it where and when, and (with CONFORMANCE_SIGNING_KEY) a signature.
// Fixed key and row order (the contract's), no durations, so two certificates compare line by line.
import type { KeyObject } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Summary } from './summary.ts';
import { baselineMarkdown, checkCounts, evidence, REFERENCE_RUN } from './summary.ts';
import { CONTRACT, regressionPhrase, type BaselineRecord } from './baseline.ts';
import { originCounts } from './verdict.ts';
import { mdCell } from '../client/text.ts';
import { ORIGIN_LABEL } from '../../fixtures/contract/statements.ts';
import { contractDigests, evidenceDigests } from './evidence.ts';
import { signCertificate, type Signature } from './signature.ts';

/** What the certificate records of the run itself (beside the summary): the deployment's declared choices. */
export interface CertificateContext {
  /** the deployment choices in force (update method, statuses, languages, field map, error shape, …) */
  choices: Record<string, string>;
  /** the reading accepted at each point where the contract allows more than one, as its setting says */
  readings: Record<string, string>;
  /** the reports folder whose evidence files are digested */
  dir: string;
  signingKey?: KeyObject;
}

export interface Certificate {
  /** a certification run against a deployment, or a reference run against the embedded target */
  kind: string;
  verdict: Summary['overall'];
  target: string;
  targetKind: string;
  deploymentVersion: string | null;
  suite: { name: string; version: string; commit: string | null; treeClean: boolean | null };
  contract: { name: string; version: string; digests: Record<string, string> };
  selection: string | null;
  choices: Record<string, string>;
  readings: Record<string, string>;
  checks: Summary['checks'];
  /** statement verdicts counted apart for the contract and the suite-defined statements */
  counts: Summary['statements'];
  statements: { id: string; origin: string; text: string; verdict: string; checks: number; note: string }[];
  /** the run itself: what differs from one run to the next */
  run: {
    id: string;
    seed: number;
    startedAt: string;
    finishedAt: string;
    date: string;
    ranBy: string | null;
    ci: string | null;
    node: string;
    /** how the checks connected, when not on reused keep-alive connections */
    connections?: string;
  };
  /** sha256 of every evidence file, relative to the reports folder (npm run verify recomputes them) */
  evidence: Record<string, string>;
  /** with --baseline: regressions, known nonconformances and the statements fixed since the baseline */
  baseline?: BaselineRecord;
  signature?: Signature;
}

export function certificate(
  s: Summary,
  ctx: Omit<CertificateContext, 'signingKey'> = { choices: {}, readings: {}, dir: '' },
): Certificate {
  const r = s.run;
  return {
    kind: r.targetKind === 'embedded' ? REFERENCE_RUN : 'certification run against a deployment',
    verdict: s.overall,
    target: r.target,
    targetKind: r.targetKind,
    deploymentVersion: r.deploymentVersion ?? null,
    suite: {
      name: 'customer-api-conformance',
      version: r.suiteVersion,
      commit: r.gitCommitFull ?? r.gitCommit ?? null,
      treeClean: r.treeClean ?? null,
    },
    contract: { ...CONTRACT, digests: ctx.dir ? contractDigests() : {} },
    selection: r.selection ?? null,
    choices: ctx.choices,
    readings: ctx.readings,
    checks: s.checks,
    counts: s.statements,
    statements: s.ids.map((v) => ({
      id: v.id,
      origin: ORIGIN_LABEL[v.origin],
      text: v.text,
      verdict: v.verdict,
      checks: v.checks,
      note: v.verdict === 'passed' ? '' : evidence(v).split('\n')[0]!,
    })),
    run: {
      id: r.runId,
      seed: r.seed,
      startedAt: r.startedAt,
      finishedAt: r.finishedAt,
      date: r.finishedAt.slice(0, 10),
      ranBy: r.ranBy ?? null,
      ci: r.ci ?? null,
      node: r.node,
      ...(r.connections && { connections: r.connections }),
    },
    evidence: ctx.dir ? evidenceDigests(ctx.dir) : {},
    ...(s.baseline ? { baseline: s.baseline } : {}),
  };
}

const WHY: Record<Summary['overall'], string> = {
  CONFORMANT: 'Every statement of the contract was verified and held.',
  'NOT CONFORMANT': 'At least one statement of the contract was found broken (see the failed rows).',
  INCOMPLETE:
    'No statement was found broken, but some could not be verified (see the reasons); ' +
    'the deployment is not certified conformant.',
};

const kv = (o: Record<string, string>) => Object.entries(o).map(([k, v]) => `| ${mdCell(k)} | ${mdCell(v)} |`);

/**
 * The certificate as Markdown. Everything above "This run" depends only on the target's answers and the
 * configuration, so two certificates of the same behaviour compare line by line; the run section below
 * holds what differs from run to run (id, times, digests, signature).
 */
export function certificateMarkdown(c: Certificate): string {
  const r = c.run;
  return [
    '# Customer API conformance certificate',
    '',
    `Verdict: **${c.verdict}**${c.targetKind === 'embedded' ? ` (${REFERENCE_RUN})` : ''}`,
    '',
    WHY[c.verdict],
    '',
    `- Kind: ${c.kind}`,
    `- Target: ${c.target} (${c.targetKind})`,
    `- Deployment version: ${c.deploymentVersion ?? 'not reported (set CUSTOMER_API_VERSION_HEADER)'}`,
    `- Suite: ${c.suite.name} ${c.suite.version}${c.suite.commit ? `, commit ${c.suite.commit}` : ''}` +
      `${c.suite.treeClean === false ? ' (with uncommitted changes)' : c.suite.treeClean ? ' (clean tree)' : ''}`,
    `- Contract: ${c.contract.name} ${c.contract.version} (fixtures/customer-api.md)`,
    ...(c.selection ? [`- Selection: ${c.selection} (a partial run cannot certify conformance)`] : []),
    `- Statements: ${originCounts(c.counts)} (suite-defined statements are the suite's own, beyond the contract text)`,
    `- Checks: ${checkCounts(c.checks)}`,
    ...(c.baseline ? [`- Baseline: ${mdCell(c.baseline.file)}: ${regressionPhrase(c.baseline.regressions)}`] : []),
    '',
    ...baselineMarkdown(c.baseline),
    '## Deployment choices in force',
    '',
    '| choice | value |',
    '| --- | --- |',
    ...kv(c.choices),
    '',
    '## Readings accepted (where the contract allows more than one behaviour)',
    '',
    '| setting | value |',
    '| --- | --- |',
    ...kv(c.readings),
    '',
    '## Statements',
    '',
    '| statement | origin | verdict | checks | note |',
    '| --- | --- | --- | --- | --- |',
    ...c.statements.map((s) => `| ${s.id} | ${s.origin} | ${s.verdict} | ${s.checks} | ${mdCell(s.note)} |`),
    '',
    ...c.statements.map((s) => `- ${s.id}: ${mdCell(s.text)}`),
    '',
    '## This run',
    '',
    `- Run: ${r.id}, seed ${r.seed}, ${r.startedAt} → ${r.finishedAt}`,
    `- Ran by: ${r.ranBy ?? 'unknown'}${r.ci ? `, in ${mdCell(r.ci)}` : ''}, Node ${r.node}`,
    ...(r.connections ? [`- Connections: ${mdCell(r.connections)}`] : []),
    ...Object.entries(c.contract.digests).map(([f, d]) => `- Contract ${f}: sha256 ${d}`),
    `- Evidence: ${Object.keys(c.evidence).length} files, sha256 of each in certificate.json ` +
      '(npm run verify -- <reports folder> recomputes them)',
    c.signature
      ? `- Signed: Ed25519, key ${c.signature.keyFingerprint} ` +
        '(npm run verify -- <reports folder> --public-key <file> checks it)'
      : '- Signed: no (set CONFORMANCE_SIGNING_KEY to an Ed25519 private key)',
    '',
  ].join('\n');
}

export function writeCertificate(
  dir: string,
  s: Summary,
  ctx: Omit<CertificateContext, 'dir'> = { choices: {}, readings: {} },
): Certificate {
  mkdirSync(dir, { recursive: true });
  const unsigned = certificate(s, { ...ctx, dir });
  const c: Certificate = ctx.signingKey
    ? { ...unsigned, signature: signCertificate(unsigned, ctx.signingKey) }
    : unsigned;
  writeFileSync(join(dir, 'certificate.json'), JSON.stringify(c, null, 2) + '\n');
  writeFileSync(join(dir, 'certificate.md'), certificateMarkdown(c));
  return c;
}
