// What vitest's JUnit reporter cannot write, added to reports/junit.xml after the run (before the
// certificate digests it): each testcase's classname is its check's feature (the reporter only knows the
// test file) and each feature a <testsuite> of its own; a check not verified says why in
// <skipped message="…"> (the reporter writes a bare <skipped/>, dropping ctx.skip's note); each <testsuite>
// carries the run's target, seed, verdict and suite version as <properties>. Every value is escaped, control
// characters made inert first.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { oneLine } from '../client/text.ts';
import { suitesByClassname } from './merge-junit.ts';
import type { CheckResult } from './result.ts';
import { summarize, type RunInfo } from './summary.ts';

const ENTITIES: Record<string, string> = { '&': '&amp;', '"': '&quot;', "'": '&apos;', '<': '&lt;', '>': '&gt;' };

/** A value fit for an XML attribute: inert (no control character, which XML 1.0 forbids), then escaped. */
export const xmlAttr = (s: string): string => oneLine(s).replace(/[&"'<>]/g, (c) => ENTITIES[c]!);

const unescapeXml = (s: string): string =>
  s.replace(/&(amp|quot|apos|lt|gt);/g, (_, e: string) => ({ amp: '&', quot: '"', apos: "'", lt: '<', gt: '>' })[e]!);

/** The run's properties, in the order they are written. */
export function runProperties(info: RunInfo, results: readonly CheckResult[]): [string, string][] {
  return [
    ['target', info.target],
    ['seed', String(info.seed)],
    ['verdict', summarize(info, results).overall],
    ['suite version', info.suiteVersion],
    ['run', info.runId],
  ];
}

/** junit.xml's text with the classnames, skipped messages and properties; the rest as vitest wrote it. */
export function withJunitProperties(xml: string, info: RunInfo, results: readonly CheckResult[]): string {
  const byTitle = new Map(results.map((r) => [r.title, r]));
  const properties = runProperties(info, results)
    .map(([k, v]) => `<property name="${xmlAttr(k)}" value="${xmlAttr(v)}"/>`)
    .join('');
  const rewritten = xml.replace(/<testcase ([^>]*)>([\s\S]*?)<\/testcase>/g, (whole, attrs: string, body: string) => {
    const escaped = /(?:^| )name="([^"]*)"/.exec(attrs)?.[1];
    if (escaped === undefined) return whole;
    // vitest names a testcase by its describe group (the feature) then the test's title
    const name = unescapeXml(escaped);
    const cut = name.indexOf(' > ');
    const r = byTitle.get(name) ?? (cut < 0 ? undefined : byTitle.get(name.slice(cut + 3)));
    const feature = r?.feature ?? (cut < 0 ? undefined : name.slice(0, cut));
    if (feature === undefined) return whole;
    const classed = attrs.replace(/(^| )classname="[^"]*"/, `$1classname="${xmlAttr(feature)}"`);
    // a check not verified says why; a feature none of whose checks were selected says so
    const why = r ? (r.status === 'not-verified' ? `not verified: ${r.reason ?? ''}` : undefined) : name.slice(cut + 3);
    const skipped = why === undefined ? body : body.replace('<skipped/>', `<skipped message="${xmlAttr(why)}"/>`);
    return `<testcase ${classed}>${skipped}</testcase>`;
  });
  const root = unescapeXml(/<testsuites\b[^>]*?\bname="([^"]*)"/.exec(xml)?.[1] ?? 'Customer API conformance');
  return suitesByClassname(rewritten, root).replace(
    /<testsuite( [^>]*)?>/g,
    (open) => `${open}\n<properties>${properties}</properties>`,
  );
}

/** Rewrites `reports`/junit.xml in place, when the run wrote one. */
export function addJunitProperties(reports: string, info: RunInfo, results: readonly CheckResult[]): void {
  const file = join(reports, 'junit.xml');
  if (!existsSync(file)) return;
  writeFileSync(file, withJunitProperties(readFileSync(file, 'utf8'), info, results));
}
