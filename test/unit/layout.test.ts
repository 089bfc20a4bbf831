// The house's rules, read from the imports themselves: which room may import which, no circles, small files.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ROOT } from '../support/cli.ts';

const ROOMS = ['bin', 'helpers', 'suites', 'fixtures'];
// hidden entries are no sources (a test's scratch folder, e.g. test/.bundle-*, may come and go meanwhile)
const walk = (dir: string): string[] =>
  readdirSync(dir)
    .filter((f) => !f.startsWith('.'))
    .flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)]));
const SOURCES = ROOMS.flatMap((r) => walk(join(ROOT, r)))
  .filter((f) => /\.(ts|mjs)$/.test(f))
  .map((f) => relative(ROOT, f));

/** Every relative import of a file (static, dynamic and type-only), as paths from the project root. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]!);
  return specs.map((s) => normalize(join(dirname(file), s)));
}
const GRAPH = new Map(SOURCES.map((f) => [f, importsOf(f)]));

const under = (file: string, room: string) => file.startsWith(`${room}/`);
const offending = (from: string, to: string) =>
  [...GRAPH].flatMap(([f, deps]) =>
    under(f, from) ? deps.filter((d) => under(d, to)).map((d) => `${f} \u2192 ${d}`) : [],
  );

describe('layout', () => {
  test.each([
    ['helpers', 'suites', 'how we talk and run knows nothing of what is checked (the suite is handed in)'],
    ['fixtures', 'suites', 'data and the reference target know nothing of the checks'],
    ['fixtures/target', 'helpers', 'the reference target shares no code with the suite it judges'],
    ['helpers/config', 'helpers/client', 'configuration is the ground floor: every other room reads it'],
    ['helpers/config', 'helpers/run', 'configuration is the ground floor: every other room reads it'],
    ['helpers/config', 'helpers/report', 'configuration is the ground floor: every other room reads it'],
    ['helpers/client', 'helpers/run', 'talking to a target needs no knowledge of how a run runs'],
    ['helpers/client', 'helpers/report', 'talking to a target needs no knowledge of the reports'],
    ['helpers/report', 'helpers/run', 'reports are written from results, not from the run machinery'],
    ['fixtures', 'bin', 'commands are imported by nobody'],
    ['helpers', 'bin', 'commands are imported by nobody'],
    ['suites', 'bin', 'commands are imported by nobody'],
    ['bin', 'test', 'a command never depends on test code'],
    ['helpers', 'test', 'nothing of the product depends on test code'],
    ['suites', 'test', 'nothing of the product depends on test code'],
    ['fixtures', 'test', 'nothing of the product depends on test code'],
  ])('%s never imports %s: %s', (from, to) => {
    expect(offending(from, to)).toEqual([]);
  });

  test('no import circles', () => {
    // Tarjan's strongly connected components: a component of more than one file is a circle
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const circles: string[][] = [];
    let next = 0;
    const visit = (v: string): void => {
      index.set(v, next);
      low.set(v, next++);
      stack.push(v);
      for (const w of GRAPH.get(v) ?? []) {
        if (!GRAPH.has(w)) continue;
        if (!index.has(w)) {
          visit(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
      if (low.get(v) === index.get(v)) {
        const part: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          part.push(w);
        } while (w !== v);
        if (part.length > 1 || (GRAPH.get(v) ?? []).includes(v)) circles.push(part.sort());
      }
    };
    for (const f of GRAPH.keys()) if (!index.has(f)) visit(f);
    expect(circles).toEqual([]);
  });

  test('no line over 120 characters, tests included', () => {
    const files = [...SOURCES, ...walk(join(ROOT, 'test')).map((f) => relative(ROOT, f))].filter((f) =>
      /\.(ts|mjs)$/.test(f),
    );
    const long = files.flatMap((f) =>
      readFileSync(join(ROOT, f), 'utf8')
        .split('\n')
        .flatMap((line, i) => (line.length > 120 ? [`${f}:${i + 1}`] : [])),
    );
    expect(long).toEqual([]);
  });

  test('no source file over 300 lines', () => {
    const long = SOURCES.map((f) => [f, readFileSync(join(ROOT, f), 'utf8').split('\n').length] as const).filter(
      ([, n]) => n > 301,
    );
    expect(long).toEqual([]);
  });
});
