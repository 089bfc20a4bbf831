// Rewrites one generated section of README.md, between `<!-- NAME:start -->` and `<!-- NAME:end -->`.
import { readFileSync, writeFileSync } from 'node:fs';

/** The comments that open and close the generated section `name`. */
export const sectionMarkers = (name: string) => ({ start: `<!-- ${name}:start -->`, end: `<!-- ${name}:end -->` });

/** `text` with the section `name` holding `content` (trimmed); undefined when it has no such section. */
export function withSection(text: string, name: string, content: string): string | undefined {
  const { start, end } = sectionMarkers(name);
  const a = text.indexOf(start);
  const b = a < 0 ? -1 : text.indexOf(end, a + start.length);
  if (b < 0) return undefined;
  return `${text.slice(0, a + start.length)}\n${content.trim()}\n${text.slice(b)}`;
}

export function replaceReadmeSection(file: string, name: string, content: string): void {
  const text = readFileSync(file, 'utf8');
  const next = withSection(text, name, content);
  if (next === undefined) {
    const { start, end } = sectionMarkers(name);
    throw new Error(`${file} has no ${start} … ${end} section`);
  }
  writeFileSync(file, next);
}
