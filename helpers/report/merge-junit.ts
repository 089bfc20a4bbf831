// The JUnit XML of merged shards: each shard's <testsuite> elements joined by name (one per suite file, as
// one run writes them), their counts summed. A suite file no shard ran a check of keeps its one
// "no … checks selected" placeholder; one some shard ran drops the others' placeholders.
const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

interface Suite {
  name: string;
  attrs: string;
  cases: string[];
  time: number;
}

const attr = (attrs: string, name: string): string | undefined => new RegExp(`\\b${name}="([^"]*)"`).exec(attrs)?.[1];

const SUITE = /<testsuite\b([^>]*?)(?:\/>|>([\s\S]*?)<\/testsuite>)/g;
const CASE = /<testcase\b[^>]*?(?:\/>|>[\s\S]*?<\/testcase>)/g;
const PLACEHOLDER = /name="[^"]*no [^"]* checks selected"/;

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
  a = set(a, 'time', s.time);
  return `    <testsuite${a}>\n        ${s.cases.join('\n        ')}\n    </testsuite>`;
}

/** The shards' junit.xml texts as one; `name` is the root's name, the time the longest shard's. */
export function mergeJunit(xmls: readonly string[], name: string): string {
  const byName = new Map<string, Suite[]>();
  for (const s of xmls.flatMap(suitesOf)) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  const suites = [...byName.values()].map(joined).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const cases = suites.flatMap((s) => s.cases);
  const time = Math.max(0, ...xmls.map((x) => Number(attr(/<testsuites\b([^>]*)>/.exec(x)?.[1] ?? '', 'time') ?? 0)));
  return [
    '<?xml version="1.0" encoding="UTF-8" ?>',
    `<testsuites name="${escapeXml(name)}" tests="${cases.length}" failures="${count(cases, 'failure')}" ` +
      `errors="${count(cases, 'error')}" time="${time}">`,
    ...suites.map(suiteXml),
    '</testsuites>',
    '',
  ].join('\n');
}
