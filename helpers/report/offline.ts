// An auditor's report makes no request to any host. The report's plugin (awesome-plugin.mjs) writes the
// page without Allure's analytics; what is left is stripped here, and a test reads the page for any host.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mentionsAnalytics, stripAnalytics } from './analytics.mjs';

export { stripAnalytics };

/**
 * What the page would fetch from another host when opened: src/href/action attributes, CSS url() and
 * @import, and fetches spelt out in inline scripts (data: URIs and same-document references are not requests).
 */
export function externalReferences(html: string): string[] {
  const out = new Set<string>();
  const patterns = [
    /\b(?:src|href|action|poster|data)\s*=\s*["']?\s*((?:https?:)?\/\/[^"'\s>]+)/gi,
    /url\(\s*["']?((?:https?:)?\/\/[^"')\s]+)/gi,
    /@import\s+["']((?:https?:)?\/\/[^"']+)/gi,
    /\bgoogletagmanager\.com[^"'\s<]*/gi,
    /\bgoogle-analytics\.com[^"'\s<]*/gi,
  ];
  for (const re of patterns) for (const m of html.matchAll(re)) out.add(m[1] ?? m[0]);
  return [...out];
}

/** Strips the analytics from every HTML file the report holds. */
export function makeOffline(reportDir: string): void {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)]));
  for (const file of walk(reportDir).filter((f) => f.endsWith('.html'))) {
    const bytes = readFileSync(file);
    // the plugin stripped them as it wrote the page: only a page it missed is decoded and written again
    if (!mentionsAnalytics(bytes)) continue;
    const html = bytes.toString('utf8');
    const clean = stripAnalytics(html);
    if (clean !== html) writeFileSync(file, clean);
  }
}
