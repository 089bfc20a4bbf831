// Rewrites one generated section of README.md, between `<!-- NAME:start -->` and `<!-- NAME:end -->`.
import { readFileSync, writeFileSync } from 'node:fs';

export function replaceReadmeSection(file: string, name: string, content: string): void {
  const text = readFileSync(file, 'utf8');
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`${file} has no ${start} … ${end} section`);
  writeFileSync(file, `${text.slice(0, a + start.length)}\n${content.trim()}\n${text.slice(b)}`);
}
