// The JUnit XML of a run, one <testsuite> per feature (vitest writes one per test file, and a file is a
// worker's share of any feature's checks), and of merged shards: each shard's <testsuite> elements joined by
// name, their counts summed. A suite no shard ran a check of keeps its one "no … checks selected"
// placeholder; one some shard ran drops the others' placeholders.
import { escapeMarkup as escapeXml } from '../client/text.ts';

interface Suite {
  name: string;
  attrs: string;
  cases: string[];
  time: number;
}

const attr = (attrs: string, name: string): string | undefined => new RegExp(`\\b${name}="([^"]*)"`).exec(attrs)?.[1];

const SUITE = /<testsuite\b([^>]*?)(?:\/>|>([\s\S]*?)<\/testsuite>)/g;
const CASE = /<testcase\b[^>]*?(?:\/>|>[\s\S]*?<\/testcase>)/g;
const PLACEHOLDER = /name="[^"]*no (?:[^"]* )?checks selected/;

function suitesOf(xml: string): Suite[] {
  return [...xml.matchAll(SUITE)].map((m) => ({
    name: attr(m[1]!, 'name') ?? '',
    attrs: m[1]!,
    cases: [...(m[2] ?? '').matchAll(CASE)].map((c) => c[0]),
    time: Number(attr(m[1]!, 'time') ?? 0),
  }));
}

function joined(parts: Suite[]): Suite {
  const cases = parts.flatMap((p) => p.cases);
  const real = cases.filter((c) => !PLACEHOLDER.test(c));
  return {
    name: parts[0]!.name,
    attrs: parts[0]!.attrs,
    cases: real.length ? real : cases.slice(0, 1),
    time: parts.reduce((t, p) => t + p.time, 0),
  };
}

const count = (cases: string[], tag: string) => cases.filter((c) => c.includes(`<${tag}`)).length;

function suiteXml(s: Suite): string {
  const set = (attrs: string, k: string, v: string | number) =>
    attr(attrs, k) === undefined ? `${attrs} ${k}="${v}"` : attrs.replace(new RegExp(`\\b${k}="[^"]*"`), `${k}="${v}"`);
  let a = s.attrs;
  a = set(a, 'tests', s.cases.length);
  a = set(a, 'failures', count(s.cases, 'failure'));
  a = set(a, 'errors', count(s.cases, 'error'));
  a = set(a, 'skipped', count(s.cases, 'skipped'));
  a = set(a, 'time', Math.round(s.time * 1000) / 1000);
  return `    <testsuite${a}>\n        ${s.cases.join('\n        ')}\n    </testsuite>`;
}

/** The document: `suites` sorted by name under one root named `name`, of `time` seconds. */
function junitDocument(suites: Suite[], name: string, time: number): string {
  const sorted = [...suites].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const cases = sorted.flatMap((s) => s.cases);
  return [
    '<?xml version="1.0" encoding="UTF-8" ?>',
    `<testsuites name="${escapeXml(name)}" tests="${cases.length}" failures="${count(cases, 'failure')}" ` +
      `errors="${count(cases, 'error')}" time="${time}">`,
    ...sorted.map(suiteXml),
    '</testsuites>',
    '',
  ].join('\n');
}

const rootTime = (xml: string) => Number(attr(/<testsuites\b([^>]*)>/.exec(xml)?.[1] ?? '', 'time') ?? 0);

/** One run's junit.xml with a <testsuite> per testcase classname, named after it; `name` is the root's name. */
export function suitesByClassname(xml: string, name: string): string {
  const byClass = new Map<string, Suite>();
  const suites = suitesOf(xml);
  // a part with no check selected holds a placeholder: said only when no part ran a check
  const ran = suites.some((s) => s.cases.some((c) => !PLACEHOLDER.test(c)));
  for (const s of suites)
    for (const c of s.cases) {
      if (ran && PLACEHOLDER.test(c)) continue;
      const cls = attr(c, 'classname') ?? s.name;
      const g = byClass.get(cls) ?? {
        name: cls,
        attrs: s.attrs.replace(/\bname="[^"]*"/, `name="${cls}"`),
        cases: [],
        time: 0,
      };
      g.cases.push(c);
      g.time += Number(attr(c, 'time') ?? 0);
      byClass.set(cls, g);
    }
  return junitDocument([...byClass.values()], name, rootTime(xml));
}

/** The shards' junit.xml texts as one; `name` is the root's name, the time the longest shard's. */
export function mergeJunit(xmls: readonly string[], name: string): string {
  const byName = new Map<string, Suite[]>();
  for (const s of xmls.flatMap(suitesOf)) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  return junitDocument([...byName.values()].map(joined), name, Math.max(0, ...xmls.map(rootTime)));
}
